import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type ModelPublication } from '@streamrec/schemas';
import { MODEL_SIGNATURE_LINEAGE_KEY, signedContent } from '@streamrec/ranking';

/** Adds the publisher's signature to a publication (or hands it back unchanged when there is no key). */
export interface ModelSigner {
  readonly signs: boolean;
  sign(publication: ModelPublication): ModelPublication;
}

/** Signs with an Ed25519 private key: `lineage.signature_ed25519` = base64 signature of `signedContent`. */
export function ed25519Signer(key: KeyObject): ModelSigner {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the model signing key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not ed25519`);
  return {
    signs: true,
    sign: (publication) => ({ ...publication, lineage: { ...publication.lineage, [MODEL_SIGNATURE_LINEAGE_KEY]: sign(null, signedContent(publication), key).toString('base64') } }),
  };
}

const unsigned: ModelSigner = { signs: false, sign: (publication) => publication };

/** The signer of the PEM private key in `file` (STREAMREC_MODEL_SIGNING_KEY_FILE), or one that does not sign when unset. */
export async function loadModelSigner(file: string | undefined): Promise<ModelSigner> {
  if (file === undefined || file === '') return unsigned;
  return ed25519Signer(createPrivateKey(await readFile(file, 'utf8')));
}
