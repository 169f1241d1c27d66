import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;

/**
 * Loads each .properties file with java.util.Properties, as MirrorMaker does,
 * and parses sasl.jaas.config with Kafka's own JAAS parser. Prints one line per
 * entry: kind, file, base64(key), base64(value).
 */
public class PropertiesDump {
  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  public static void main(String[] args) throws Exception {
    for (String file : args) {
      Properties props = new Properties();
      try (InputStream in = Files.newInputStream(Paths.get(file))) {
        props.load(in);
      }
      List<String> keys = new ArrayList<>(props.stringPropertyNames());
      Collections.sort(keys);
      for (String key : keys) {
        String value = props.getProperty(key);
        System.out.println("P\t" + file + "\t" + b64(key) + "\t" + b64(value));
        if (key.equals("sasl.jaas.config")) {
          JaasContext jaas =
              JaasContext.loadClientContext(Collections.singletonMap(key, new Password(value)));
          for (AppConfigurationEntry entry : jaas.configurationEntries()) {
            for (Map.Entry<String, ?> option : entry.getOptions().entrySet()) {
              System.out.println("J\t" + file + "\t" + b64(option.getKey()) + "\t" + b64(String.valueOf(option.getValue())));
            }
          }
        }
      }
    }
  }
}
