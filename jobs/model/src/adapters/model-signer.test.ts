import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_SIGNATURE_LINEAGE_KEY, signedContent } from '@streamrec/ranking';
import { buildPublication } from '../publication.js';
import { ed25519Signer, loadModelSigner } from './model-signer.js';

const publication = buildPublication({ name: 'ranker', version: 'v1', onnx: new Uint8Array([1, 2, 3]), featureNames: ['item_ctr', 'fused_score'], lineage: { trainer: 'test' } });

describe('model signer', () => {
  it('adds an Ed25519 signature of the signed content to the lineage, keeping the rest', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signed = ed25519Signer(privateKey).sign(publication);
    expect(signed.lineage['trainer']).toBe('test');
    expect({ ...signed, lineage: {} }).toEqual({ ...publication, lineage: {} });
    const signature = Buffer.from(signed.lineage[MODEL_SIGNATURE_LINEAGE_KEY] ?? '', 'base64');
    expect(verify(null, signedContent(signed), publicKey, signature)).toBe(true);
    expect(verify(null, signedContent({ ...signed, version: 'v2' }), publicKey, signature)).toBe(false);
    expect(verify(null, signedContent({ ...signed, feature_names: ['fused_score', 'item_ctr'] }), publicKey, signature)).toBe(false);
  });

  it('refuses a key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => ed25519Signer(privateKey)).toThrow(/not ed25519/);
  });

  it('loads the PEM key of the configured file, and does not sign without one', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const file = join(mkdtempSync(join(tmpdir(), 'model-signer-')), 'key.pem');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const signer = await loadModelSigner(file);
    expect(signer.signs).toBe(true);
    expect(signer.sign(publication).lineage[MODEL_SIGNATURE_LINEAGE_KEY]).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const none = await loadModelSigner(undefined);
    expect(none.signs).toBe(false);
    expect(none.sign(publication)).toBe(publication);
  });
});
