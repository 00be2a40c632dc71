// @confluentinc/kafka-javascript's KafkaJS-compatible API: settings go in a `kafkaJS` block that
// the client turns into librdkafka properties, and compression belongs to the producer config.
import { KafkaJS } from "@confluentinc/kafka-javascript";

{{required}}

export function createKafkaClient(): KafkaJS.Kafka {
  return new KafkaJS.Kafka({
    kafkaJS: {
      clientId: process.env.KAFKA_CLIENT_ID ?? "app",
      brokers: {{brokers}},
      connectionTimeout: {{connection_timeout}},
      requestTimeout: {{request_timeout}},
      logLevel: process.env.NODE_ENV === "production" ? KafkaJS.logLevel.ERROR : KafkaJS.logLevel.INFO,
      ssl: {{ssl}},
{{#sasl}}
      sasl: { mechanism: {{sasl}}, username: required("KAFKA_USERNAME"), password: required("KAFKA_PASSWORD") },
{{/sasl}}
    },
  });
}

/** The producer: librdkafka keeps the order of up to 5 requests in flight with idempotence, and
 * takes at most 2147483647 retries (an int32). */
export async function createKafkaProducer(kafka: KafkaJS.Kafka): Promise<KafkaJS.Producer> {
  const producer = kafka.producer({
    kafkaJS: {
      idempotent: {{idempotent}},
      acks: {{acks}},
{{#max_in_flight_requests}}
      maxInFlightRequests: {{max_in_flight_requests}},
{{/max_in_flight_requests}}
      compression: {{compression}} as KafkaJS.CompressionTypes,
      retry: { retries: {{retries}} },
    },
  });
  await producer.connect();
  return producer;
}

/** The consumer (the group from KAFKA_GROUP_ID). rebalanceTimeout is left out: this client maps it to
 * librdkafka's max.poll.interval.ms, the time allowed between two polls (300000 ms by default). */
export async function createKafkaConsumer(kafka: KafkaJS.Kafka, groupId = required("KAFKA_GROUP_ID")): Promise<KafkaJS.Consumer> {
  const consumer = kafka.consumer({
    kafkaJS: {
      groupId,
{{consumer}}
    },
  });
  await consumer.connect();
  return consumer;
}
