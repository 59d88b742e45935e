#!/usr/bin/env python3
"""Regenerates the golden expectations of streamlab-io's tests with real PySpark 3.5.

Run from anywhere:  python3 crates/io/tests/golden/generate.py
Needs PySpark 3.5.x and Java 17. Writes cases.json (and data/ copies) next to this script.

Every expectation is what Spark itself returned: rows are rendered with Spark's own
`CAST(col AS STRING)` (Java number text, `yyyy-MM-dd HH:mm:ss[.ffffff]` timestamps, `{a, b}`
structs, `[1, 2]` arrays, `{k -> v}` maps), errors are the message of the Spark exception that
carries the error class, and written files are the bytes Spark wrote.
"""
import base64
import glob
import json
import os
import shutil
import tempfile

from pyspark.sql import SparkSession, functions as F

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, '..', '..', '..', '..', '..', 'shared', 'data'))
if not os.path.isdir(SHARED):
    SHARED = '/work/shared/data'

spark = (SparkSession.builder.master('local[1]')
         .config('spark.sql.session.timeZone', 'UTC')
         .config('spark.ui.enabled', 'false')
         .config('spark.sql.shuffle.partitions', '1')
         .getOrCreate())
spark.sparkContext.setLogLevel('OFF')
TMP = tempfile.mkdtemp(prefix='streamlab-golden-')


def b64(b):
    return base64.b64encode(b).decode()


def spark_error(e):
    """The message of the outermost Java exception with a MALFORMED_* error class, else of the
    outermost one with any error class (a reader's "error while reading file" wrapper is skipped)."""
    je = getattr(e, 'java_exception', None)
    best = None
    while je is not None:
        try:
            cls = je.getErrorClass()
        except Exception:
            cls = None
        if cls and cls.startswith('MALFORMED'):
            return {'class': cls, 'message': je.getMessage()}
        if cls and best is None and cls != '_LEGACY_ERROR_TEMP_2064':
            best = {'class': cls, 'message': je.getMessage()}
        nxt = je.getCause()
        if nxt is None or nxt.equals(je):
            break
        je = nxt
    if best is None:
        best = {'class': None, 'message': str(e).split('\n')[0]}
    return best


def rows_of(df):
    cols = df.columns
    exprs = [F.col('`%s`' % c).cast('string').alias('c%d' % i) for i, c in enumerate(cols)]
    return [[r[i] for i in range(len(cols))] for r in df.select(*exprs).collect()]


def write_input(name, data):
    p = os.path.join(TMP, name)
    with open(p, 'wb') as f:
        f.write(data)
    return p


cases = []


def read_case(name, fmt, schema, data, options=None, file=None):
    options = options or {}
    path = file if file else write_input(name + '.' + fmt, data)
    case = {'name': name, 'format': fmt, 'schema': schema, 'options': options}
    if file:
        case['file'] = os.path.relpath(file, HERE) if file.startswith(HERE) else file.replace(SHARED, '$SHARED')
    else:
        case['input'] = b64(data)
    try:
        r = spark.read.format(fmt).options(**options)
        if schema:
            r = r.schema(schema)
        case['rows'] = rows_of(r.load(path))
    except Exception as e:  # noqa: BLE001
        case['error'] = spark_error(e)
    cases.append(case)
    print('read', name, len(case.get('rows', [])), case.get('error', {}).get('class'))


# ---------------------------------------------------------------- JSON reads
ACT = 'Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double'
BAD = os.path.join(HERE, 'data', 'activity-bad.json')
os.makedirs(os.path.join(HERE, 'data'), exist_ok=True)
shutil.copyfile(os.path.join(SHARED, 'activity-bad', 'part-00000.json'), BAD)
for mode in ['PERMISSIVE', 'DROPMALFORMED', 'FAILFAST']:
    read_case('activity_bad_%s_corrupt' % mode.lower(), 'json', ACT + ', _corrupt_record string', None, {'mode': mode}, file=BAD)
    read_case('activity_bad_%s' % mode.lower(), 'json', ACT, None, {'mode': mode}, file=BAD)
read_case('activity_bad_corrupt_first', 'json', '_corrupt_record string, ' + ACT, None, {}, file=BAD)
read_case('activity_bad_corrupt_renamed', 'json', ACT + ', bad string', None, {'columnNameOfCorruptRecord': 'bad'}, file=BAD)
read_case('activity_bad_corrupt_not_string', 'json', ACT + ', _corrupt_record int', None, {}, file=BAD)

PROBE_LINES = [
    '{"a":1,"b":2,"s":"x"}', '', '   ', '[{"a":1},{"a":2}]', '[]', '[1,2]', '[{"a":1},{"a":"q"}]',
    '{"a":1,"a":2}', '{"a":"q","a":2}', '{"a":2,"a":"q"}', '{"A":1}', '{"a":1.5}', '{"a":"7"}', '{"b":"2.5"}', '{"b":1}',
    '{"a":9223372036854775808}', '{"a":-9223372036854775808}', '{"b":NaN}', '{"b":"NaN"}', '{"b":Infinity}', '{"b":-Infinity}',
    '{"b":"Infinity"}', '{"b":"-INF"}', '{"b":+INF}', '{"b":"+INF"}', '{"b":"nan"}', '{"b":1E400}', '{"b":-0.0}', '{"b":1e2}',
    '{"b":"1e2"}', '{"b":" 2.5"}', '{"b":"0x10"}', '{"b":"2.5d"}', '{"b":INF}', '{"b":-INF}', '{"b":+Infinity}', '{"b":NaNx}', '{"b":-NaN}',
    '{"s":5}', '{"s":true}', '{"s":{"n": 1}}', '{"s":[1, 2]}', '{"s":1.50}', '{"s":1e5}', '{"s":1E-7}', '{"s":12345678901234567890}',
    '{"s":0.1000000000000000055511151231257827}', '{"s":null}', '{"s":"a\\u00e9\\n"}', '{"s":false}',
    '{"s":{"b": [1, {"c" : "d"}], "e":null}}', '{"s":-0}', '{"s":NaN}', '{"s":"\\/"}', '{"s":[Infinity,-Infinity]}',
    'not json', '{"a":1', '{"a":1} x', '{"a":1}{"a":2}', '{"a":1},', '5', '"str"', 'null', 'true', '{"a":1,}', "{'a':1}", '{a:1}',
    '{"a":01}', '{"a":1 /* c */}', '{"s":"a\tb"}', '{"s":"\\q"}', '{"a":-0}', '{"a":1.0}', '{"a":1e2}', '{"a":true}', '{"a":[1]}',
    '{"a":""}', '{"s":""}', '{"b":""}', '{"a":null}', '{"a":-1,"x":[1,{"y":2}],"s":"ok"}', '{"a":1,"b":"x","s":3}',
    '{"b":"x","a":1.5}', '{}', '  {"a":3}  ', '\t{"a":4}', '{"a":+1}', '{"b":.5}', '{"b":5.}', '{"a":1}]', ']', '{"s":"\\ud800"}',
    '{"a":1,"_corrupt_record":"zz"}', '[null]', '[{"a":1}, 5]', '[{"a":1}, null]', '{"x":[1,}', '{"x":"\\u12"}',
    "{'s':'it\\'s'}", '{"s":"\\\'"}', '{"s":{"k":\'v\'}}', '{"s":{"k":"a\\u0001b\\u007f\\u00e9\\t"}}',
    '{"s":{"k":1.0,"j":-0.0,"m":[1E2,100,1.5e-5,-0]}}', '{"s":"\\ud83d\\ude00"}', '{"s":"\\ude00"}', '{"s":"\\ud83dx"}',
    '{"s":{"k":"\\ud83d\\ude00"}}', '{"s":{"k":"\\ud83d"}}', '{"s":{"a\\"b":1}}',
    '{"a":' + '1' * 1001 + '}', '{"s":' + '1' * 1001 + '}', '{"a":' + '1' * 999 + '}',
    '{"x":' + '[' * 1001 + ']' * 1001 + '}', '{"x":' + '[' * 999 + ']' * 999 + '}', '{"x":' + '[' * 1000 + ']' * 1000 + '}',
    '{"s":"\x7f"}', '{"s":\'a"b\'}', '{"s":"x"  ,  "a" : 1 }', '{ }', '{"a":1 , }', '[{"a":1},]', '[,]', '{"a":1}\x0b', '\x0b{"a":1}',
    '\ufeff{"a":1}', '{"a":1}\x00', '{"a":12345678901234567890123}', '{"b":12345678901234567890123}', '{"b":1.7976931348623157E309}',
    '{"b":4.9e-325}', '{"b":0.1e1}', '{"b":1E+2}', '{"b":-}', '{"b":1.e2}', '{"b":1e}', '{"b":00}', '{"b":-01}', '{"s":tru}',
    '{"s":True}', '{"s":nul}', '{"s":null1}', '{"s":truex}', '{"a":1,"a":null}', '{"a":1}garbage{', '{"s":"\\u00E9"}', '{"s":"\\U00e9"}',
    '{"a":5,"s":{"k":1x}}', '{"a":5,"s":[1,2x]}', '{"s":{"k":1x},"a":5}', '{"a":5,"b":"\\q"}',
]
probe = ('\n'.join(PROBE_LINES) + '\n').encode('utf-8')
for mode in ['PERMISSIVE', 'DROPMALFORMED']:
    read_case('json_probe_%s_corrupt' % mode.lower(), 'json', 'a long, b double, s string, _corrupt_record string', probe, {'mode': mode})
    read_case('json_probe_%s' % mode.lower(), 'json', 'a long, b double, s string', probe, {'mode': mode})
read_case('json_probe_crlf', 'json', 'a long, s string, _corrupt_record string', b'{"a":1}\r\n{"a":2}\r{"a":"x"}\r\n\r\n{"s":"\xc3\xa9"}', {})
read_case('json_probe_invalid_utf8', 'json', 'a long, s string, _corrupt_record string', b'{"a":1,"s":"\xff"}\n{"a":2,"zz":"\xc3"}\n{"a":3}\xff\n', {})
read_case('json_leak', 'json', 'm map<string,long>, arr array<long>, a long, s string, b string, _corrupt_record string',
          ('\n'.join(['{"m":{"k":"x","a":2},"a":9}', '{"arr":[1,"x",{"a":7}],"a":5}', '{"arr":[1,"x",3],"a":5}']) + '\n').encode(), {})

TYPE_CASES = {
    'int': ('int', ['{"v":2147483647}', '{"v":2147483648}', '{"v":-2147483649}', '{"v":1.0}', '{"v":"1"}']),
    'short': ('short', ['{"v":32767}', '{"v":32768}', '{"v":-32769}']),
    'byte': ('byte', ['{"v":127}', '{"v":128}', '{"v":255}', '{"v":256}', '{"v":-128}', '{"v":-129}']),
    'boolean': ('boolean', ['{"v":true}', '{"v":"true"}', '{"v":1}', '{"v":false}']),
    'float': ('float', ['{"v":1.1}', '{"v":1e40}', '{"v":"NaN"}', '{"v":3}', '{"v":16777217}', '{"v":-0.0}']),
    'timestamp': ('timestamp', ['{"v":"2015-02-23T13:03:51.914Z"}', '{"v":"2015-02-23 13:03:51"}', '{"v":"2015-02-23"}', '{"v":1424696631}',
                                '{"v":1424696631.5}', '{"v":"1424696631"}', '{"v":"2015-02-23T13:03:51.914+01:00"}', '{"v":"garbage"}',
                                '{"v":"2015-02-23T13:03:51.123456789Z"}', '{"v":"2015-02-23T13:03"}', '{"v":"2015-2-3 1:2:3"}', '{"v":"2015"}',
                                '{"v":"2015-02"}', '{"v":" 2015-02-23 "}', '{"v":"2015-02-23T13:03:51.914 UTC"}',
                                '{"v":"2015-02-23T13:03:51.914+0100"}', '{"v":"2015-02-23T13:03:51GMT+01:00"}', '{"v":"2015-02-23 13:03:51.9"}',
                                '{"v":""}', '{"v":"2015-02-23T25:00:00"}', '{"v":-1}']),
    'timestamp_ntz': ('timestamp_ntz', ['{"v":"2015-02-23T13:03:51.914Z"}', '{"v":"2015-02-23 13:03:51"}', '{"v":"2015-02-23"}', '{"v":1424696631}']),
    'date': ('date', ['{"v":"2015-02-23"}', '{"v":"2015-02-23T13:03:51Z"}', '{"v":"2015-2-3"}', '{"v":16000}', '{"v":"2015-02-23 xx"}', '{"v":"2015"}']),
    'decimal': ('decimal(10,2)', ['{"v":1.234}', '{"v":1.235}', '{"v":"1.5"}', '{"v":123456789012}', '{"v":1e2}', '{"v":-0.005}', '{"v":NaN}',
                                  '{"v":"1,234.5"}', '{"v":99999999.995}']),
    'array': ('array<long>', ['{"v":[1,2,null]}', '{"v":[1,"x",3]}', '{"v":5}', '{"v":[]}', '{"v":[[1]]}']),
    'struct': ('struct<n:long,m:string>', ['{"v":{"n":1,"m":2}}', '{"v":{"n":"x","m":"k"}}', '{"v":5}', '{"v":{}}', '{"v":[{"n":1}]}']),
    'map': ('map<string,long>', ['{"v":{"k":1,"j":null}}', '{"v":{"k":"x","j":2}}', '{"v":{"k":1,"k":2}}']),
    'binary': ('binary', ['{"v":"aGVsbG8="}', '{"v":"!!"}', '{"v":5}']),
    'array_struct': ('array<struct<n:long>>', ['{"v":[{"n":1},{"n":"x"}]}', '{"v":{"n":1}}']),
}
for name, (ty, lines) in TYPE_CASES.items():
    read_case('json_type_' + name, 'json', 'v %s, _corrupt_record string' % ty, ('\n'.join(lines) + '\n').encode(), {})

read_case('json_multiline', 'json', 'a long, s string, _corrupt_record string', b'[\n {"a": 1,\n  "s": "x"},\n {"a": 2}\n]\n', {'multiLine': 'true'})
read_case('json_multiline_bad', 'json', 'a long, s string, _corrupt_record string', b'{"a": 1,\n "s": \n', {'multiLine': 'true'})
read_case('json_linesep', 'json', 'a long', b'{"a":1}|{"a":2}|', {'lineSep': '|'})
read_case('json_bad_mode', 'json', 'a long', b'{"a":1}\n', {'mode': 'bogus'})
read_case('json_failfast_partial', 'json', 'a long, b double, s string, t struct<p:long,q:string>',
          b'{"b":1e-10,"s":"x","t":{"p":"r"}}\n', {'mode': 'FAILFAST'})
read_case('json_failfast_array', 'json', 'a long, b double, _corrupt_record string', b'{"a":1}\n[{"a":1},{"a":"q"}]\n', {'mode': 'FAILFAST'})

# ---------------------------------------------------------------- activity (per file)
activity = []
for p in sorted(glob.glob(os.path.join(SHARED, 'activity', 'part-*.json'))):
    df = spark.read.schema(ACT).json(p)
    # One plain aggregate (a distinct aggregate would change Spark's summation order).
    agg = df.agg(F.count('*').alias('n'), F.sum('x').cast('string').alias('sx'), F.sum('y').cast('string').alias('sy'),
                 F.sum('z').cast('string').alias('sz'), F.sum('Index').alias('si'), F.sum('Creation_Time').cast('string').alias('sc')).collect()[0]
    rows = rows_of(df)
    activity.append({'file': os.path.basename(p), 'count': agg['n'], 'sum_x': agg['sx'], 'sum_y': agg['sy'], 'sum_z': agg['sz'],
                     'sum_index': agg['si'], 'sum_creation': agg['sc'], 'head': rows[:3], 'tail': rows[-2:]})
    print('activity', os.path.basename(p), agg['n'])

# ---------------------------------------------------------------- CSV and text reads
CSV = b'a,,b\na,"",b\n"x,y",2,3\n"a\\"b",1,2\n"a""b",1,2\n a , b , c \n1,2\n1,2,3,4\n\n#c,1,2\nx\'y,"q"z,3\n"unterminated,1,2\nNA,null,N\n  \n"q" ,r,s\n'
for name, schema, opts in [
    ('csv_strings', 'a string, b string, c string', {}),
    ('csv_strings_corrupt', 'a string, b string, c string, _corrupt_record string', {}),
    ('csv_drop', 'a string, b string, c string', {'mode': 'DROPMALFORMED'}),
    ('csv_failfast', 'a string, b string, c string', {'mode': 'FAILFAST'}),
    ('csv_options', 'a string, b string, c string', {'ignoreLeadingWhiteSpace': 'true', 'ignoreTrailingWhiteSpace': 'true', 'comment': '#', 'nullValue': 'NA'}),
    ('csv_int_corrupt', 'a string, b int, c string, _corrupt_record string', {}),
    ('csv_sep', 'a string, b string, c string', {'sep': ';'}),
]:
    read_case(name, 'csv', schema, CSV.replace(b',', b';') if name == 'csv_sep' else CSV, opts)
TYPED = b'1,2.5,true,2015-02-23 13:03:51,2015-02-23,1.25\n x ,NaN,TRUE,2015-02-23T13:03:51.914Z,2015/02/23,abc\n2147483648,Inf,1,1424696631,16000,\n-5,-Inf,false,,,\n 7 , 1e3 , false ,x,x,x\n+8,1d,FaLsE,2015-02-23T13:03:51.5+01:00,2015-02-23T10:00,"1,234.5"\n'
read_case('csv_typed', 'csv', 'i int, d double, b boolean, ts timestamp, dt date, m decimal(6,2), _corrupt_record string', TYPED, {})
read_case('csv_header', 'csv', 'x long, y string', b'x,y\n1,2\n3,4\n', {'header': 'true'})
read_case('csv_multiline', 'csv', 'a string, b string', b'"line1\nline2",b\nc,d\n', {'multiLine': 'true'})
TEXT = b'a\r\nb\rc\n\nd\xff\n'
read_case('text_lines', 'text', None, TEXT, {})
read_case('text_wholetext', 'text', None, TEXT, {'wholetext': 'true'})
read_case('text_linesep', 'text', None, TEXT, {'lineSep': 'b'})
read_case('text_no_final_newline', 'text', None, b'x\ny', {})

# ---------------------------------------------------------------- from_json
from_json = []
FJ_VALUES = ['{"a":1,"b":2.5}', '{"a":1,"b":"x"}', 'not json', '[{"a":1}]', '[]', '', '  ', None,
             '{"a":"q","b":1.0,"_corrupt_record":"z"}', '5', 'null', '{"a":1}{', '{"t":{"p":"x"}}']
for schema in ['a long, b double', 'a long, b double, _corrupt_record string', 'a long, t struct<p:long>']:
    df = spark.createDataFrame([(v,) for v in FJ_VALUES], 'v string')
    out = df.select(F.from_json('v', schema).alias('j')).select(F.col('j').cast('string')).collect()
    from_json.append({'schema': schema, 'mode': 'PERMISSIVE', 'values': FJ_VALUES, 'rows': [r[0] for r in out]})
for v in ['{"a":1,"b":"x"}', 'not json', '[{"a":1}]', '{"a":2}']:
    case = {'schema': 'a long, b double', 'mode': 'FAILFAST', 'values': [v]}
    try:
        out = spark.createDataFrame([(v,)], 'v string').select(F.from_json('v', 'a long, b double', {'mode': 'FAILFAST'}).cast('string')).collect()
        case['rows'] = [r[0] for r in out]
    except Exception as e:  # noqa: BLE001
        case['error'] = spark_error(e)
    from_json.append(case)
try:
    spark.createDataFrame([('{}',)], 'v string').select(F.from_json('v', 'a long', {'mode': 'DROPMALFORMED'})).collect()
except Exception as e:  # noqa: BLE001
    from_json.append({'schema': 'a long', 'mode': 'DROPMALFORMED', 'values': ['{}'], 'error': spark_error(e)})

# ---------------------------------------------------------------- inference
infer = []


def infer_case(name, fmt, data, options=None):
    p = write_input('infer_' + name + '.' + fmt, data)
    case = {'name': name, 'format': fmt, 'options': options or {}, 'input': b64(data)}
    try:
        case['schema'] = spark.read.format(fmt).options(**(options or {})).load(p).schema.simpleString()
    except Exception as e:  # noqa: BLE001
        case['error'] = spark_error(e)
    infer.append(case)
    print('infer', name, case.get('schema'))


infer_case('json_basic', 'json', b'{"b":1,"a":"x","c":{"z":1,"y":[1,2]}}\n{"b":1.5,"d":null,"e":[]}\n{"a":5,"f":true,"g":{}}\n')
infer_case('json_corrupt', 'json', b'{"a":1}\nnot json\n')
infer_case('json_corrupt_drop', 'json', b'{"a":1}\nnot json\n', {'mode': 'DROPMALFORMED'})
infer_case('json_bigint', 'json', b'{"a":12345678901234567890}\n{"a":1}\n{"b":1}\n{"b":1.5}\n{"c":1,"d":[1,"x"]}\n{"c":"s","d":[{"k":1}]}\n')
infer_case('json_array_root', 'json', b'[{"a":1},{"b":"x"}]\n{"c":true}\n')
infer_case('json_prefers_decimal', 'json', b'{"a":1.25}\n{"a":10.5}\n', {'prefersDecimal': 'true'})
infer_case('json_primitives_as_string', 'json', b'{"a":1,"b":true,"c":[1.5]}\n', {'primitivesAsString': 'true'})
ACT_HEAD = b''.join(open(os.path.join(SHARED, 'activity', 'part-00002.json'), 'rb').readlines()[:200])
infer_case('json_activity', 'json', ACT_HEAD)
infer_case('csv_default', 'csv', b'1,x\n2,y\n')
infer_case('csv_header', 'csv', b'x,y\n1,2\n', {'header': 'true'})
infer_case('csv_infer', 'csv', b'a,b,c,d,e,f,g,h,i,j\n1,1.5,true,2015-02-23 13:03:51,2015-02-23,3000000000,x,,12345678901234567890,1\n2,NaN,false,2015-02-23T13:03:51Z,2015-02-24,1,,,1,true\n',
           {'header': 'true', 'inferSchema': 'true'})

# ---------------------------------------------------------------- writes
writes = []
WRITE_INPUT = (
    '{"i":1,"s":"plain","d":1.5,"f":0.1,"ts":"2015-02-23T13:03:51.914Z","dt":"2015-02-23","m":1.5,"b":true,"l":1424696631914042029}\n'
    '{"d":"NaN","ts":"2015-02-23 13:03:51"}\n'
    '{"i":3,"s":"","d":1e-5,"f":1e10,"ts":"2015-02-23T13:03:51.123456Z","dt":"0001-01-01","m":0,"b":false,"l":-1}\n'
    '{"i":4,"s":"a,b \\"q\\" \\n x\\r\\t\\u0001\\u00e9\\ud83d\\ude00","d":1e7,"f":-0.0}\n'
    '{"i":5,"s":"  sp  ","d":-0.0,"f":"Infinity","m":-0.005}\n'
    '{"i":6,"s":"\\"q\\"z","d":1.220703E-4,"m":12345678.9}\n'
).encode('utf-8')
WRITE_SCHEMA = 'i int, s string, d double, f float, ts timestamp, dt date, m decimal(10,2), b boolean, l long'
NESTED_INPUT = b'{"st":{"x":1},"arr":[1,null,3],"m":{"k":1,"n":null},"aos":[{}],"ns":null}\n{"st":{"x":null,"y":"q"},"arr":[],"m":{}}\n'
NESTED_SCHEMA = 'st struct<x:int,y:string>, arr array<int>, m map<string,int>, aos array<struct<p:string>>, ns struct<q:int>'


def write_case(name, fmt, schema, data, select=None):
    src = write_input('w_' + name + '.json', data)
    df = spark.read.schema(schema).json(src)
    if select:
        df = df.selectExpr(*select)
    out = os.path.join(TMP, 'out_' + name)
    case = {'name': name, 'format': fmt, 'schema': schema, 'input': b64(data), 'select': select}
    try:
        df.coalesce(1).write.format(fmt).save(out)
        parts = sorted(glob.glob(os.path.join(out, 'part-*')))
        case['files'] = [os.path.basename(p).split('-', 2)[0] + '-' + os.path.basename(p).split('.', 1)[1] for p in parts]
        case['output'] = b64(b''.join(open(p, 'rb').read() for p in parts))
    except Exception as e:  # noqa: BLE001
        case['error'] = spark_error(e)
    writes.append(case)
    print('write', name, case.get('files'), case.get('error', {}).get('class'))


write_case('json_flat', 'json', WRITE_SCHEMA, WRITE_INPUT)
write_case('csv_flat', 'csv', WRITE_SCHEMA, WRITE_INPUT)
write_case('text_flat', 'text', WRITE_SCHEMA, WRITE_INPUT, ['s'])
write_case('json_nested', 'json', NESTED_SCHEMA, NESTED_INPUT)
write_case('csv_nested', 'csv', NESTED_SCHEMA, NESTED_INPUT)
write_case('text_int', 'text', WRITE_SCHEMA, WRITE_INPUT, ['i'])
write_case('text_two', 'text', WRITE_SCHEMA, WRITE_INPUT, ['s', 'cast(i as string) as t'])
write_case('json_ntz', 'json', 'ts timestamp_ntz', b'{"ts":"2015-02-23 13:03:51.914"}\n{"ts":"2015-02-23 13:03:51"}\n')
write_case('json_activity', 'json', ACT, ACT_HEAD)

with open(os.path.join(HERE, 'cases.json'), 'w') as f:
    json.dump({'reads': cases, 'activity': activity, 'from_json': from_json, 'infer': infer, 'writes': writes}, f, indent=1, ensure_ascii=True)
shutil.rmtree(TMP, ignore_errors=True)
print('wrote', os.path.join(HERE, 'cases.json'))
