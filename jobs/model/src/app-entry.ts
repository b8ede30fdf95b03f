/** Publishing rankers on models.published.v1 (the CLI is `npm run model`), for the retraining job and the tests. */
export { publishModel, publishRaw, readModelTopic, unpublishModel, type ModelTopicRecord, type TopicPosition } from './adapters/model-topic.js';
export { buildPublication, sha256Hex, type PublicationInput } from './publication.js';
