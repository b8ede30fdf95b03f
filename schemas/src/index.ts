/** Wire formats without I/O: event types, decimals, Avro single-object framing and fingerprints. */
export { parsingCanonicalForm, schemaFingerprint } from './canonical-form.js';
export { CRC64_AVRO_EMPTY, crc64Avro, crc64AvroBytes } from './crc64-avro.js';
export {
  MONEY_DECIMAL,
  decimalFromString,
  decimalToNumber,
  decimalToString,
  decodeTwosComplement,
  encodeTwosComplement,
  type DecimalSpec,
} from './decimal.js';
export {
  InteractionAction,
  InteractionSource,
  ModelFormat,
  type CooccurrenceIncrement,
  type EventRecordTypes,
  type ExposedItem,
  type Exposure,
  type Interaction,
  type ItemActivityWire,
  type ItemChange,
  type ModelPublication,
  type UserChange,
  type WritableExposure,
} from './event-types.js';
export {
  FINGERPRINT_LENGTH,
  SINGLE_OBJECT_HEADER_LENGTH,
  SINGLE_OBJECT_MAGIC,
  frameSingleObject,
  parseSingleObject,
  type SingleObjectParts,
} from './single-object.js';
