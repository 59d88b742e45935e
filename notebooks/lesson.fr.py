# Databricks notebook source
import os
from pyspark.sql import SparkSession
from delta import configure_spark_with_delta_pip
from pyspark.sql.functions import col, from_json, to_timestamp
from pyspark.sql.types import StructType, StructField, StringType, IntegerType, DoubleType

# Netoyage des variables d'env qui peuvent casser le bind du driver
for var in ["SPARK_LOCAL_IP", "SPARK_DRIVER_BIND_ADDRESS", "SPARK_DRIVER_HOST"]:
    os.environ.pop(var, None)

# Packages Kafka pour Spark (adapter la version si ton pyspark n'est pas 3.5.*)
EXTRA_PACKAGES = [
    "org.apache.spark:spark-sql-kafka-0-10_2.13:3.5.2",
]

builder = (
    SparkSession.builder
    .appName("SmartTech-Streaming-Silver")
    .master("local[*]")
    .config("spark.driver.bindAddress", "127.0.0.1")
    .config("spark.driver.host", "localhost")
    .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
)

# on passe Kafka via extra_packages
spark = configure_spark_with_delta_pip(builder, extra_packages=EXTRA_PACKAGES).getOrCreate()
spark.sparkContext.setLogLevel("WARN") # permet de limiter les logs Spark à l’essentiel, en masquant les messages INFO et DEBUG
# spark.sparkContext.setLogLevel("ALL")
# spark.sparkContext.setLogLevel("DEBUG")
# spark.sparkContext.setLogLevel("INFO")
# spark.sparkContext.setLogLevel("WARN")   # le plus courant
# spark.sparkContext.setLogLevel("ERROR")
# spark.sparkContext.setLogLevel("FATAL")
# spark.sparkContext.setLogLevel("OFF")

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> 1 - Lecture d'un flux</h2>
# MAGIC
# MAGIC La méthode `SparkSession.readStream` renvoie un `DataStreamReader` utilisé pour configurer le flux.
# MAGIC
# MAGIC Il y a un certain nombre de points clés pour la configuration d'un `DataStreamReader` :
# MAGIC * Le schéma
# MAGIC * Le type de flux : Fichiers, Kafka, TCP/IP, etc.
# MAGIC * Configuration spécifique au type de flux
# MAGIC   * Pour les fichiers, le type de fichier, le chemin vers les fichiers, le nombre maximum de fichiers, etc.
# MAGIC   * Pour TCP/IP, l'adresse du serveur, le numéro de port, etc.
# MAGIC   * Pour Kafka, l'adresse du serveur, le port, les topics, les partitions, etc.

# COMMAND ----------

dataSchema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"

# COMMAND ----------

dataPath = "data/activity"
initialDF = (spark
  .readStream                       # Renvoie DataStreamReader
  .option("maxFilesPerTrigger", 1)  # Forcer le traitement d'un seul fichier par déclencheur
  .schema(dataSchema)               # Requis pour tous les DataFrames en streaming
  .json(dataPath)                   # Le répertoire source du flux et le type de fichier
)

# COMMAND ----------

# MAGIC %md
# MAGIC Et avec le `DataFrame` initial, nous pouvons appliquer quelques transformations :

# COMMAND ----------

streamingDF = (initialDF
  .withColumnRenamed("Index", "User_ID")  # Renommer une colonne
  .drop("_corrupt_record")                # Supprimer une colonne
)

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Écriture d'un flux</h2>
# MAGIC
# MAGIC `DataFrame.writeStream` renvoie un `DataStreamWriter` utilisé pour configurer la sortie du flux.
# MAGIC
# MAGIC Quelques paramètres pour la configuration de `DataStreamWriter` :
# MAGIC * Nom de la requête (facultatif) - nom unique parmi toutes les requêtes actives dans le SQLContext associé.
# MAGIC * Déclencheur (facultatif) - La valeur par défaut est `ProcessingTime(0`) et elle exécutera la requête aussi rapidement que possible.
# MAGIC * Répertoire de point de contrôle (facultatif pour les éviers pub/sub)
# MAGIC * Mode de sortie
# MAGIC * Évier de sortie (sink) : File Sink , Kafka Sink, Memory Sink, Foreach Sink, ...
# MAGIC
# MAGIC Une fois la configuration terminée, nous pouvons déclencher le job avec un appel à `.start()`

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Fenêtrage</h2>
# MAGIC
# MAGIC Si nous utilisions un DataFrame statique pour produire un compte agrégé, nous pourrions utiliser `groupBy()` et `count()`.
# MAGIC
# MAGIC Dans un streaming DataFrame, nous accumulons les comptes dans une fenêtre glissante, répondant à des questions comme "Combien d'enregistrements recevons-nous chaque seconde ?"
# MAGIC
# MAGIC **Fenêtres glissantes** : Les fenêtres se chevauchent et un seul événement peut être agrégé dans plusieurs fenêtres.
# MAGIC
# MAGIC **Fenêtres fixes** : Les fenêtres ne se chevauchent pas et un seul événement sera agrégé dans une seule fenêtre.
# MAGIC
# MAGIC Illustration fenêtres glissante et fixe <a href="https://spark.apache.org/docs/latest/structured-streaming-programming-guide.html" target="_blank">Guide de programmation de Structured Streaming</a>

# COMMAND ----------

# MAGIC %md
# MAGIC ### Déclencheurs
# MAGIC
# MAGIC Le déclencheur spécifie quand le système doit traiter le prochain ensemble de données.
# MAGIC
# MAGIC | Type de déclencheur                    | Exemple | Remarques |
# MAGIC |----------------------------------------|-----------|-------------|
# MAGIC | Non spécifié                           |  | _DEFAULT_ - La requête sera exécutée dès que le système aura terminé de traiter la requête précédente |
# MAGIC | Micro-lots à intervalle fixe           | `.trigger(Trigger.ProcessingTime("6 hours"))` | La requête sera exécutée en micro-lots et lancée aux intervalles spécifiés par l'utilisateur |
# MAGIC | Micro-lot unique                       | `.trigger(Trigger.Once())` | La requête exécutera _un seul_ micro-lot pour traiter toutes les données disponibles, puis s'arrêtera d'elle-même |
# MAGIC | Continu avec intervalle de point de contrôle fixe | `.trigger(Trigger.Continuous("1 second"))` | La requête sera exécutée en mode de traitement continu à faible latence, <a href="http://spark.apache.org/docs/latest/structured-streaming-programming-guide.html#continuous-processing" target = "_blank">mode de traitement continu</a>.
# MAGIC
# MAGIC Dans l'exemple ci-dessous, vous utiliserez un intervalle fixe de 3 secondes :
# MAGIC
# MAGIC `.trigger(Trigger.ProcessingTime("3 seconds"))`
# MAGIC
# MAGIC ### Point de contrôle
# MAGIC
# MAGIC Un <b>point de contrôle</b> stocke l'état actuel de votre job de streaming dans un système de stockage fiable tel que Azure Blob Storage ou HDFS. Il ne stocke pas l'état de votre job de streaming dans le système de fichiers local d'un nœud de votre cluster.
# MAGIC
# MAGIC Avec les journaux d'écriture anticipée, un flux terminé peut être redémarré et il continuera là où il s'était arrêté.
# MAGIC
# MAGIC Pour activer cette fonctionnalité, vous devez simplement spécifier l'emplacement d'un répertoire de point de contrôle :
# MAGIC
# MAGIC `.option("checkpointLocation", checkpointPath)`

# COMMAND ----------

# MAGIC %md
# MAGIC Points à considérer :
# MAGIC * Si vous n'avez pas de répertoire de point de contrôle, lorsque le job de streaming s'arrête, vous perdez tout l'état de votre job de streaming et lors du redémarrage, vous recommencez à zéro.
# MAGIC * Pour certains sinks, vous obtiendrez une erreur si vous ne spécifiez pas un répertoire de point de contrôle :<br/>
# MAGIC `analysisException: 'checkpointLocation must be specified either through option("checkpointLocation", ...)..`
# MAGIC * Notez également que chaque job de streaming doit avoir son propre répertoire de point de contrôle : pas de partage.

# COMMAND ----------

# MAGIC %md
# MAGIC ### Modes de Sortie
# MAGIC
# MAGIC | Mode   | Exemple | Remarques |
# MAGIC |--------|---------|-----------|
# MAGIC | **Complet** | `.outputMode("complete")` | La table de résultats mise à jour entière est écrite dans le récepteur. L'implémentation individuelle du récepteur décide comment gérer l'écriture de la table entière. |
# MAGIC | **Ajout** | `.outputMode("append")`     | Seules les nouvelles lignes ajoutées à la table de résultats depuis le dernier déclenchement sont écrites dans le récepteur. |
# MAGIC | **Mise à jour** | `.outputMode("update")`     | Seules les lignes de la table de résultats qui ont été mises à jour depuis le dernier déclenchement seront sorties dans le récepteur. Depuis Spark 2.1.1 |
# MAGIC
# MAGIC Dans l'exemple ci-dessous, nous écrivons dans un répertoire Parquet qui ne supporte que le mode `append` :
# MAGIC
# MAGIC `dsw.outputMode("append")`

# COMMAND ----------

# MAGIC %md
# MAGIC ### Éviers (sink) de Sortie
# MAGIC
# MAGIC `DataStreamWriter.format` accepte les valeurs suivantes, entre autres :
# MAGIC
# MAGIC | Évier de Sortie | Exemple                                          | Remarques |
# MAGIC | --------------- | ------------------------------------------------ | --------- |
# MAGIC | **Fichier**     | `dsw.format("parquet")`, `dsw.format("csv")`...  | Déverse la Table de Résultats dans un fichier. Supporte Parquet, json, csv, etc. |
# MAGIC | **Kafka**       | `dsw.format("kafka")`      | Écrit la sortie dans un ou plusieurs sujets dans Kafka |
# MAGIC | **Console**     | `dsw.format("console")`    | Imprime les données dans la console (utile pour le débogage) |
# MAGIC | **Mémoire**     | `dsw.format("memory")`     | Met à jour une table en mémoire, qui peut être interrogée via Spark SQL ou l'API DataFrame |
# MAGIC | **foreach**     | `dsw.foreach(writer: ForeachWriter)` | C'est votre "échappatoire", vous permettant d'écrire votre propre type d'évier. |
# MAGIC | **Delta**       | `dsw.format("delta")`     | Un sink propriétaire |
# MAGIC
# MAGIC Dans l'exemple ci-dessous, nous allons ajouter des fichiers à un répertoire Parquet et ensuite Delta et spécifier son emplacement avec cet appel :
# MAGIC
# MAGIC `.format("parquet").start(outputPathDir)`
# MAGIC
# MAGIC `.format("delta").start("db.table")`
# MAGIC
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Exemple Streaming</h2>
# MAGIC
# MAGIC Dans la cellule ci-dessous, nous écrivons des données d'une requête de streaming vers `outputPathDir`.
# MAGIC
# MAGIC Note :
# MAGIC
# MAGIC 1. Nous donnons un nom à la requête via l'appel à `.queryName`
# MAGIC
# MAGIC 2. Spark commence à exécuter des jobs une fois que nous appelons `.start`
# MAGIC
# MAGIC 3. L'appel à `.start` renvoie un objet `StreamingQuery`

# COMMAND ----------

outputPathDir = "output/output.parquet" # Sous-répertoire résultats du streaming
checkpointPath = "output/output.parquet.checkpoint"
# Définition de la requête de streaming
streamingQuery = (streamingDF
  .writeStream
  .queryName("stream_1p")
  .trigger(processingTime="3 seconds")            # déclencheur pour exécuter un micro-lot toutes les 3 secondes
  .format("parquet")                              # destination au format Parquet
  .option("checkpointLocation", checkpointPath)   # fichiers de point de contrôle
  .outputMode("append")                           # seules les nouvelles données seront écrites dans le fichier
  .start(outputPathDir)                           # Démarre la requête et envoie les résultats dans le répertoire spécifié
)

# COMMAND ----------

spark.sql("create database if not exists outputDelta;")

# COMMAND ----------

outputPathDir = "output/output.parquet" # Sous-répertoire résultats du streaming
checkpointPath = "output/output.delta.checkpoint"


# Définition de la requête de streaming
streamingQuery = (streamingDF
  .writeStream
  .queryName("stream_2p")
  .trigger(processingTime="3 seconds")
  .format("delta")
  .option("checkpointLocation", checkpointPath)
  .outputMode("append")
  .toTable("outputDelta.table")
)

# COMMAND ----------

spark.sql("SELECT * FROM outputDelta.table").show(truncate=False)

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Script complet</h2>

# COMMAND ----------

# Les requêtes lancées plus haut tournent encore : on les arrête d'abord, car le nom d'une
# requête doit être unique parmi les requêtes actives.
for stream in spark.streams.active:
    stream.stop()

# Définir le shéma de données
dataSchema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"

# Lecture source de données
dataPath = "data/activity"
initialDF = (spark
  .readStream                       # Renvoie DataStreamReader
  .option("maxFilesPerTrigger", 1)  # Forcer le traitement d'un seul fichier par déclencheur
  .schema(dataSchema)               # Requis pour tous les DataFrames en streaming
  .json(dataPath)                   # Le répertoire source du flux et le type de fichier
)

# Petite transformation
streamingDF = (initialDF
  .withColumnRenamed("Index", "User_ID")  # Choisir un nom de colonne "meilleur"
  .drop("_corrupt_record")                # Supprimer une colonne inutile
)


# Ecriture du streaming dans un fichier au format Parquet
outputPathDir = "output/output.parquet"
checkpointPath = "output/output.parquet.checkpoint"
# Définition de la requête de streaming
streamingQuery = (streamingDF
  .writeStream
  .queryName("stream_1p")
  .trigger(processingTime="3 seconds")
  .format("parquet")
  .option("checkpointLocation", checkpointPath)
  .outputMode("append")
  .start(outputPathDir)
)


# Ecriture du streaming dans une table Delta
outputPathDir = "output/output.parquet" # Sous-répertoire où les résultats du streaming seront enregistrés au format Parquet
checkpointPath = "output/output.delta.checkpoint"    # Sous-répertoire pour les fichiers de point de contrôle
# Définition de la requête de streaming
streamingQuery = (streamingDF
  .writeStream
  .queryName("stream_2p")
  .trigger(processingTime="3 seconds")
  .format("delta")
  .option("checkpointLocation", checkpointPath)
  .outputMode("append")
  .toTable("outputDelta.table")
)

# COMMAND ----------

# MAGIC %md
# MAGIC Liste flux actifs

# COMMAND ----------

for stream in spark.streams.active:      # Loop over all active streams
    print(" {} ({})".format(stream.name, stream.id))

# COMMAND ----------

# MAGIC %md
# MAGIC Arretter les flux actifs

# COMMAND ----------

for stream in spark.streams.active:
  stream.stop()

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Résumé</h2>
# MAGIC
# MAGIC Nous utilisons `readStream` pour lire les entrées en streaming à partir de diverses sources et créer un DataFrame.
# MAGIC
# MAGIC Rien ne se passe jusqu'à ce que nous invoquions `writeStream` ou `display`.
# MAGIC
# MAGIC En utilisant `writeStream`, nous pouvons écrire vers une variété de récepteurs de sortie. En utilisant `display`, nous dessinons des graphiques en barres, des graphiques et d'autres types de tracés en direct dans le notebook.

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Questions de révision</h2>
# MAGIC
# MAGIC **Q:** Que font `readStream` et `writeStream` ?<br>
# MAGIC
# MAGIC
# MAGIC **Q:** Que produit `display` s'il est appliqué à un DataFrame créé via `readStream` ?<br>
# MAGIC
# MAGIC **Q:** Lorsque vous exécutez une commande de flux d'écriture, que fait cette option `outputMode("append")` ?<br>
# MAGIC
# MAGIC **Q:** Que se passe-t-il si vous ne spécifiez pas `option("checkpointLocation", pointer-to-checkpoint directory)` ?<br>
# MAGIC
# MAGIC
# MAGIC **Q:** Comment visualiser la liste des flux actifs ?<br>
# MAGIC
# MAGIC
# MAGIC **Q:** Comment vérifier si `streamingQuery` est en cours d'exécution (sortie booléenne) ?<br>

# COMMAND ----------

# MAGIC %md
# MAGIC

# COMMAND ----------

# MAGIC %md
# MAGIC

# COMMAND ----------

# MAGIC %md
# MAGIC

# COMMAND ----------

# MAGIC %md
# MAGIC

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Questions de révision</h2>
# MAGIC
# MAGIC **Q:** Que font `readStream` et `writeStream` ?<br>
# MAGIC **A:** `readStream` crée un DataFrame en streaming.<br>`writeStream` envoie les données en streaming vers un récepteur de sortie.
# MAGIC
# MAGIC **Q:** Que produit `display` s'il est appliqué à un DataFrame créé via `readStream` ?<br>
# MAGIC **A:** `display` envoie les données en streaming vers un graphique EN DIRECT !
# MAGIC
# MAGIC **Q:** Lorsque vous exécutez une commande de flux d'écriture, que fait cette option `outputMode("append")` ?<br>
# MAGIC **A:** Cette option prend les valeurs suivantes et leurs significations respectives :
# MAGIC * <b>append</b> : ajouter uniquement de nouveaux enregistrements au récepteur de sortie
# MAGIC * <b>complete</b> : réécrire la sortie complète - applicable aux opérations d'agrégation
# MAGIC * <b>update</b> : mettre à jour les enregistrements modifiés sur place
# MAGIC
# MAGIC **Q:** Que se passe-t-il si vous ne spécifiez pas `option("checkpointLocation", pointer-to-checkpoint directory)` ?<br>
# MAGIC **A:** Lorsque le travail de streaming s'arrête, vous perdez tout l'état de votre job de streaming et lors du redémarrage, vous recommencez à zéro.
# MAGIC
# MAGIC **Q:** Comment visualiser la liste des flux actifs ?<br>
# MAGIC **A:** Invoquez `spark.streams.active`.
# MAGIC
# MAGIC **Q:** Comment vérifier si `streamingQuery` est en cours d'exécution (sortie booléenne) ?<br>
# MAGIC **A:** Invoquez `spark.streams.get(streamingQuery.id).isActive`.
