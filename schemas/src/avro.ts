/** Avro codecs of the project's topics, loaded from schemas/avro (reads files: an I/O entry). */
export { AvroCodec, createEventCodec, type AvroCodecOptions } from './avro-codec.js';
export { ExposureWriter, createExposureWriter } from './exposure-writer.js';
export {
  AvroSchemaName,
  isAvroSchemaName,
  loadAvroSchema,
  loadAvroSchemaHistory,
  schemaPaths,
} from './schema-files.js';
