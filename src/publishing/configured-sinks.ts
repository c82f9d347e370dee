import type { EnvironmentVariables } from '../config/environment';
import type { ChangeSink } from './change-sink';
import { MqttSink } from './mqtt/mqtt-sink';
import { NatsSink } from './nats/nats-sink';

/** A sink per broker URL set; none by default. */
export function configuredSinks(env: EnvironmentVariables): ChangeSink[] {
  const common = { topicPrefix: env.CMDB_PUBLISH_TOPIC_PREFIX, source: env.CMDB_PUBLISH_SOURCE, timeoutMs: env.CMDB_PUBLISH_TIMEOUT_MS };
  const sinks: ChangeSink[] = [];
  if (env.CMDB_PUBLISH_MQTT_URL) {
    sinks.push(
      new MqttSink({
        ...common,
        url: env.CMDB_PUBLISH_MQTT_URL,
        username: env.CMDB_PUBLISH_MQTT_USERNAME,
        password: env.CMDB_PUBLISH_MQTT_PASSWORD,
        caFile: env.CMDB_PUBLISH_MQTT_CA_FILE,
        maxPacketBytes: env.CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES,
      }),
    );
  }
  if (env.CMDB_PUBLISH_NATS_URL) {
    sinks.push(
      new NatsSink({
        ...common,
        url: env.CMDB_PUBLISH_NATS_URL,
        stream: {
          name: env.CMDB_PUBLISH_NATS_STREAM,
          maxAgeSeconds: env.CMDB_PUBLISH_NATS_MAX_AGE_SECONDS,
          maxBytes: env.CMDB_PUBLISH_NATS_MAX_BYTES,
          maxMessages: env.CMDB_PUBLISH_NATS_MAX_MESSAGES,
          replicas: env.CMDB_PUBLISH_NATS_REPLICAS,
          duplicateWindowSeconds: env.CMDB_PUBLISH_NATS_DUPLICATE_WINDOW_SECONDS,
        },
      }),
    );
  }
  return sinks;
}
