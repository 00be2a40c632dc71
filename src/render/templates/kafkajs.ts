import {
  CompressionTypes,
  Kafka,
  Partitioners,
  logLevel,
  type Consumer,
  type ConsumerConfig,
  type KafkaConfig,
  type Message,
  type Producer,
  type ProducerConfig,
  type ProducerRecord,
  type RecordMetadata,
} from "kafkajs";

{{required}}

/** Client settings (connectionTimeout is the runbook's 10 s; KafkaJS' 1 s is short for TLS + SASL). */
export function kafkaConfig(): KafkaConfig {
  return {
    clientId: process.env.KAFKA_CLIENT_ID ?? "app",
    brokers: {{brokers}},
    connectionTimeout: {{connection_timeout}},
    requestTimeout: {{request_timeout}},
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 30000, multiplier: 2 },
    logLevel: process.env.NODE_ENV === "production" ? logLevel.ERROR : logLevel.INFO,
    ssl: {{ssl}},
{{#sasl}}
    sasl: { mechanism: {{sasl}}, username: required("KAFKA_USERNAME"), password: required("KAFKA_PASSWORD") },
{{/sasl}}
  };
}

/** Producer settings. Compression is not a producer option in KafkaJS: see sendOptions. */
export const producerConfig: ProducerConfig = {
  createPartitioner: Partitioners.DefaultPartitioner,
  idempotent: {{idempotent}},
{{#max_in_flight_requests}}
  maxInFlightRequests: {{max_in_flight_requests}},
{{/max_in_flight_requests}}
  retry: { retries: {{retries}} },
};

/** Per-send options: acks -1 (all in-sync replicas) and the compression codec. */
export const sendOptions: Pick<ProducerRecord, "acks" | "compression"> = {
  acks: {{acks}},
  compression: CompressionTypes.{{compression}},
};

/** Consumer settings (the group from KAFKA_GROUP_ID): heartbeatInterval stays at most a third of sessionTimeout. */
export function consumerConfig(groupId = required("KAFKA_GROUP_ID")): ConsumerConfig {
  return {
    groupId,
{{consumer}}
  };
}

export function createKafkaClient(): Kafka {
  return new Kafka(kafkaConfig());
}

export async function createKafkaProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer(producerConfig);
  await producer.connect();
  return producer;
}

export async function createKafkaConsumer(kafka: Kafka, groupId?: string): Promise<Consumer> {
  const consumer = kafka.consumer(consumerConfig(groupId));
  await consumer.connect();
  return consumer;
}

/** Sends with the plan's acks and compression. */
export function send(producer: Producer, topic: string, messages: Message[]): Promise<RecordMetadata[]> {
  return producer.send({ topic, messages, ...sendOptions });
}
