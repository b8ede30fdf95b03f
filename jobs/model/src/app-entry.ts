/** Publishing rankers on models.published.v1 and models.history.v1 (the CLI is `npm run model`), for the retraining job and the tests. */
export { publishModel, publishRaw, publishToHistory, readModelTopic, unpublishModel, type ModelTopicRecord, type TopicPosition } from './adapters/model-topic.js';
export { publishWithHistory, readModelHistory, rollbackModel, servingPublication, type ModelTopics, type RollbackResult } from './adapters/model-history.js';
export { chooseRollbackTarget, historyKey, versionsOf, type HistoryVersion } from './domain/model-history.js';
export { buildPublication, sha256Hex, type PublicationInput } from './publication.js';
export { ed25519Signer, loadModelSigner, type ModelSigner } from './adapters/model-signer.js';
