// Prints the consumer and producer configuration keys of the kafka-clients
// jar on the classpath as a TypeScript module. Run by
// generate-kafka-config-keys.sh; its output is committed as
// src/kafka/configKeys.generated.ts.
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.utils.AppInfoParser;

public class KafkaConfigKeys {
  private static void print(String name, ConfigDef def) {
    Map<String, ConfigDef.ConfigKey> keys = new TreeMap<>(def.configKeys());
    System.out.println("export const " + name + ": Record<string, KafkaConfigType> = {");
    for (Map.Entry<String, ConfigDef.ConfigKey> e : keys.entrySet()) {
      System.out.println("  '" + e.getKey() + "': '" + e.getValue().type.name() + "',");
    }
    System.out.println("};");
  }

  public static void main(String[] args) {
    System.out.println("// Generated from kafka-clients " + AppInfoParser.getVersion()
        + " by scripts/generate-kafka-config-keys.sh; do not edit.");
    System.out.println();
    System.out.println("/** Value type of a Kafka client configuration key (ConfigDef.Type). */");
    System.out.println("export type KafkaConfigType =");
    ConfigDef.Type[] types = ConfigDef.Type.values();
    for (int i = 0; i < types.length; i++) {
      System.out.println("  | '" + types[i].name() + "'" + (i == types.length - 1 ? ";" : ""));
    }
    System.out.println();
    System.out.println("/** kafka-clients version the key lists come from. */");
    System.out.println("export const KAFKA_CLIENTS_VERSION = '" + AppInfoParser.getVersion() + "';");
    System.out.println();
    System.out.println("/** Every consumer configuration key, with its type. */");
    print("CONSUMER_CONFIG_KEYS", ConsumerConfig.configDef());
    System.out.println();
    System.out.println("/** Every producer configuration key, with its type. */");
    print("PRODUCER_CONFIG_KEYS", ProducerConfig.configDef());
  }
}
