//! The Python subset itself: literals and reprs, operators, strings and formatting, control
//! flow, functions, comprehensions, builtins, exceptions, imports.

mod python_support;

use python_support::{error, kernel, run_ok, stdout};

fn out(source: &str) -> String {
    let (mut k, _, _) = kernel();
    stdout(&run_ok(&mut k, source))
}

fn fails(source: &str) -> String {
    let (mut k, _, _) = kernel();
    error(&k.run_cell(source)).headline()
}

#[test]
fn literals_print_as_python_reprs() {
    assert_eq!(
        out("print([1, -2.5, 'it\\'s', \"q\", None, True, False, (1,), (1, 2), {'a': [1e-05, 1e16, 2.0]}])"),
        "[1, -2.5, \"it's\", 'q', None, True, False, (1,), (1, 2), {'a': [1e-05, 1e+16, 2.0]}]\n"
    );
    assert_eq!(out("print(repr('a\\nb'), str(1.0), 10 / 4, 7 // 2, -7 // 2, -7 % 3, 2 ** 10, 2 ** -1)"), "'a\\nb' 1.0 2.5 3 -4 2 1024 0.5\n");
    assert_eq!(out("print(0.1 + 0.2, 1/3, 100.0, 123456789012345678.0, float('inf'), -0.0)"), "0.30000000000000004 0.3333333333333333 100.0 1.2345678901234568e+17 inf -0.0\n");
}

#[test]
fn strings_and_formatting() {
    assert_eq!(out("s = '  Hello, World  '\nprint(s.strip().upper(), s.lower().split(','), '-'.join(['a', 'b']), s.replace('l', 'L', 2), s.strip().startswith('He'), 'x'.endswith(('y', 'x')))"),
        "HELLO, WORLD ['  hello', ' world  '] a-b   HeLLo, World   True True\n");
    assert_eq!(out("print('a b  c'.split(), 'a,b,,c'.split(',', 1), 'abc'[::-1], 'abcdef'[1:4], 'abc'[-1])"), "['a', 'b', 'c'] ['a', 'b,,c'] cba bcd c\n");
    assert_eq!(out("name = 'q'\nn = 3\nprint(f'{name!r}: {n:03d} {n * 1.5:.2f} {n:>4}|{name:<3}|{1234567:,} {0.25:.1%}')"), "'q': 003 4.50    3|q  |1,234,567 25.0%\n");
    assert_eq!(out("print('{} ({})'.format('s', 1), '{0}-{0}'.format('x'), '{k}={v:.1f}'.format(k='a', v=2))"), "s (1) x-x a=2.0\n");
    assert_eq!(out("print('%s: %5.2f|%-3d|%r' % ('a', 3.14159, 7, 'b'))"), "a:  3.14|7  |'b'\n");
    assert_eq!(out("x = 5\nprint(f'{x=}', f'{x + 1 = }')"), "x=5 x + 1 = 6\n");
}

#[test]
fn unicode_name_escapes_resolve_every_name_natively() {
    assert_eq!(out("print('\\N{DEGREE SIGN}', '\\N{TIBETAN LETTER KA}', '\\N{snake}')"), "° ཀ 🐍\n");
    assert!(fails("print('\\N{NOT A CHARACTER NAME}')").contains("SyntaxError"));
}

#[test]
fn control_flow_loops_and_functions() {
    let src = "total = 0\nfor i in range(10):\n    if i % 2 == 0:\n        continue\n    elif i > 7:\n        break\n    else:\n        total += i\nprint(total)\n\
n = 0\nwhile n < 5:\n    n += 1\nelse:\n    print('done', n)\n\
for k, v in {'a': 1, 'b': 2}.items():\n    print(k, v)\n\
def greet(name, greeting='hello', *rest, punct='!', **extra):\n    return f'{greeting} {name}{punct}' + str(rest) + str(extra)\n\
print(greet('ada'))\nprint(greet('bob', 'hi', 1, 2, punct='?', x=1))\nprint(greet(greeting='yo', name='c'))\n\
square = lambda x: x * x\nprint(list(map_sq for map_sq in [square(3)]), [x * 2 for x in range(4) if x], {k: v for k, v in zip('ab', [1, 2])})\n\
def outer():\n    y = 10\n    def inner(z):\n        return y + z\n    return inner(5)\nprint(outer())\n\
count = 0\ndef bump():\n    global count\n    count += 1\nbump()\nbump()\nprint(count)";
    assert_eq!(
        out(src),
        "16\ndone 5\na 1\nb 2\nhello ada!()\n{}\nhi bob?(1, 2){'x': 1}\nyo c!(){}\n[9] [2, 4, 6] {'a': 1, 'b': 2}\n15\n2\n"
            .replace("hello ada!()\n{}", "hello ada!(){}")
    );
    assert_eq!(fails("def f(a, b):\n    return a\nf(1)"), "TypeError: f() missing 1 required positional argument: 'b'");
    assert_eq!(fails("def f(a):\n    return a\nf(1, 2)"), "TypeError: f() takes 1 positional argument but 2 were given");
    assert_eq!(fails("def f(a):\n    return a\nf(b=1)"), "TypeError: f() got an unexpected keyword argument 'b'");
}

#[test]
fn builtins_behave_like_python() {
    assert_eq!(out("print(len('héllo'), len([1, 2]), len({'a': 1}), list(range(2, 10, 3)), sorted([3, 1, 2], reverse=True), sorted(['b', 'A', 'c'], key=str.lower if False else None))"),
        "5 2 1 [2, 5, 8] [3, 2, 1] ['A', 'b', 'c']\n");
    assert_eq!(out("print(min(3, 1, 2), max([1, 5, 2]), max(['aa', 'b'], key=len), sum([1, 2, 3]), sum([0.5, 0.25]), round(2.5), round(3.14159, 2), abs(-3))"), "1 5 aa 6 0.75 2 3.14 3\n");
    assert_eq!(out("print(int('42'), int(3.9), float('1.5'), str(12), bool([]), bool('x'), list('ab'), tuple([1]), dict(a=1))"), "42 3 1.5 12 False True ['a', 'b'] (1,) {'a': 1}\n");
    assert_eq!(out("print(isinstance(1, int), isinstance(True, int), isinstance('s', (int, str)), isinstance(1.0, int), type(1), type('s').__name__)"), "True True True False <class 'int'> str\n");
    assert_eq!(out("print(list(enumerate(['a', 'b'], start=1)), list(zip([1, 2], 'xy')), any([0, 1]), all([]), list(reversed([1, 2])))"), "[(1, 'a'), (2, 'b')] [(1, 'x'), (2, 'y')] True True [2, 1]\n");
    assert_eq!(out("l = [3, 1]\nl.append(2)\nl.sort()\nl.extend([9])\nd = {'a': 1}\nd['b'] = 2\nd.update(c=3)\nprint(l, l.pop(), l.index(2), d, d.get('z', 0), list(d.keys()), d.pop('a'), 'b' in d)"),
        "[1, 2, 3] 9 1 {'b': 2, 'c': 3} 0 ['a', 'b', 'c'] 1 True\n", "arguments see the list after pop(), as in Python");
    assert_eq!(out("a, (b, c) = 1, [2, 3]\nx = y = 0\nprint(a, b, c, x, y, [1, 2] + [3], 'ab' * 2, [0] * 3, 1 < 2 < 3, 1 < 3 < 2, None is None, 1 if [] else 2)"), "1 2 3 0 0 [1, 2, 3] abab [0, 0, 0] True False True 2\n");
    assert_eq!(out("print('a', 'b', sep='-', end='|')\nprint()"), "a-b|\n");
    assert_eq!(out("import json\nprint(json.dumps({'a': [1, None], 'b': 'é'}, indent=2))\nprint(json.loads('{\"x\": [1, 2.5, true]}'))"), "{\n  \"a\": [\n    1,\n    null\n  ],\n  \"b\": \"\\u00e9\"\n}\n{'x': [1, 2.5, True]}\n");
}

#[test]
fn python_errors_read_like_python() {
    assert_eq!(fails("x = undefined"), "NameError: name 'undefined' is not defined");
    assert_eq!(fails("'a' + 1"), "TypeError: can only concatenate str (not \"int\") to str");
    assert_eq!(fails("1 + 'a'"), "TypeError: unsupported operand type(s) for +: 'int' and 'str'");
    assert_eq!(fails("[1][5]"), "IndexError: list index out of range");
    assert_eq!(fails("{'a': 1}['b']"), "KeyError: 'b'");
    assert_eq!(fails("None.foo"), "AttributeError: 'NoneType' object has no attribute 'foo'");
    assert_eq!(fails("int('x')"), "ValueError: invalid literal for int() with base 10: 'x'");
    assert_eq!(fails("a, b = [1, 2, 3]"), "ValueError: too many values to unpack (expected 2)");
    assert_eq!(fails("1 < 'a'"), "TypeError: '<' not supported between instances of 'int' and 'str'");
    assert_eq!(fails("raise ValueError('bad value')"), "ValueError: bad value");
    assert_eq!(fails("assert 1 == 2, 'nope'"), "AssertionError: nope");
    assert_eq!(fails("from pyspark.sql.functions import nope"), "ImportError: cannot import name 'nope' from 'pyspark.sql.functions'");
    assert_eq!(fails("x = {1, 2}"), "NotImplementedError: StreamLab does not support sets (line 1, column 5)");
    assert_eq!(fails("with open('f') as f:\n    pass"), "NotImplementedError: StreamLab does not support with statements (line 1, column 1)");
    assert_eq!(fails("async def f():\n    pass"), "NotImplementedError: StreamLab does not support async functions (line 1, column 1)");
}

#[test]
fn exceptions_can_be_caught_by_class() {
    assert_eq!(
        out("try:\n    [][0]\nexcept (KeyError, IndexError) as e:\n    print('caught', type(e).__name__, e)\nelse:\n    print('no')\nfinally:\n    print('finally')\ntry:\n    x = 1\nexcept Exception:\n    pass\nelse:\n    print('else', x)"),
        "caught IndexError list index out of range\nfinally\nelse 1\n"
    );
    assert_eq!(fails("try:\n    1 / 0\nexcept KeyError:\n    pass"), "ZeroDivisionError: division by zero");
}

#[test]
fn imports_and_time() {
    let (mut k, _, clock) = kernel();
    let o = stdout(&run_ok(&mut k, "import time, json\nimport os\nimport pyspark.sql.functions as F\nfrom pyspark.sql import functions as G\nimport pyspark\nt0 = time.time()\ntime.sleep(2.5)\nprint(time.time() - t0, F.col is G.col or F.col == G.col, pyspark.sql.functions.lit)"));
    assert_eq!(o, "2.5 True <function lit at 0x7f0000000000>\n");
    assert_eq!(clock_ms(&clock), python_support::START_MS + 2500);
}

fn clock_ms(clock: &streamlab_engine::clock::ManualClock) -> i64 {
    use streamlab_engine::clock::Clock;
    clock.now_ms()
}

#[test]
fn huge_values_fail_cleanly() {
    assert_eq!(fails("x = [0] * 10**12"), "MemoryError: StreamLab builds at most 10,000,000 items at once");
    assert_eq!(fails("range(-9223372036854775807, 9223372036854775807)"), "MemoryError: StreamLab builds at most 10,000,000 items at once");
    assert_eq!(fails("9223372036854775807 + 1"), "OverflowError: integer result does not fit in 64 bits");
    assert_eq!(out("print(round(1234.5, -9223372036854775807), list(range(5, 0, -2)))"), "0.0 [5, 3, 1]\n");
}
