import { Rng } from './rng.js';
import { COUNTRIES, type CityVocab, type CountryVocab } from './vocab/people.js';
import { DEVICES, type DeviceVocab } from './vocab/web.js';

/** A browser on a device, as Matomo sees it: the 8-byte visitor id plus its configuration. */
export interface VisitorProfile {
  /** matomo_log_visit.idvisitor, BINARY(8). */
  readonly idvisitor: Uint8Array;
  /** matomo_log_visit.config_id, BINARY(8): Matomo's fingerprint of the configuration. */
  readonly configId: Uint8Array;
  /** IPv4 with the last two bytes zeroed, as Matomo's default IP anonymisation stores it. */
  readonly ip: Uint8Array;
  readonly device: DeviceVocab;
  readonly osVersion: string;
  readonly browserVersion: string;
  readonly resolution: string;
  readonly country: CountryVocab;
  readonly city: CityVocab;
  readonly browserLang: string;
}

export const VISITOR_ID_BYTES = 8;

/**
 * The devices of a registered person are a pure function of their e-mail: a later run meets the
 * same idvisitor again, and visits before and after logging in share it.
 */
export function userVisitor(email: string, deviceNumber: number, countryCode: string): VisitorProfile {
  const country = COUNTRIES.find((c) => c.code === countryCode.toLowerCase()) ?? COUNTRIES[0];
  return buildVisitor(new Rng(`visitor/${email}/${deviceNumber}`), country);
}

export function anonymousVisitor(rng: Rng): VisitorProfile {
  return buildVisitor(rng, undefined);
}

function buildVisitor(rng: Rng, knownCountry: CountryVocab | undefined): VisitorProfile {
  const country = knownCountry ?? rng.weightedPick(COUNTRIES, (c) => c.weight);
  const device = rng.weightedPick(DEVICES, (d) => d.weight);
  return {
    idvisitor: rng.bytes(VISITOR_ID_BYTES),
    configId: rng.bytes(VISITOR_ID_BYTES),
    ip: Uint8Array.of(rng.pick(country.ipFirstOctets), rng.int(256), 0, 0),
    device,
    osVersion: rng.pick(device.osVersions),
    browserVersion: rng.pick(device.browserVersions),
    resolution: rng.pick(device.resolutions),
    country,
    city: rng.pick(country.cities),
    // Matomo strips the ;q= weights (Common::getBrowserLanguage); the column is VARCHAR(20).
    browserLang: country.chinese ? 'zh-cn,zh,en' : 'en-us,en',
  };
}
