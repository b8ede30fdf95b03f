/**
 * Devices and referrers as Matomo records them: DeviceDetector short codes for OS and browser
 * (config_os 'WIN', config_browser_name 'CH'), device types 0 desktop / 1 smartphone / 2 tablet,
 * client type 1 = browser, referer_type 1 direct / 2 search engine / 3 website / 6 campaign.
 */
export interface DeviceVocab {
  readonly weight: number;
  readonly deviceType: number;
  readonly brand: string | null;
  readonly model: string | null;
  readonly os: string;
  readonly osVersions: readonly string[];
  readonly browser: string;
  readonly browserEngine: string;
  readonly browserVersions: readonly string[];
  readonly resolutions: readonly string[];
}

export const DEVICES: readonly DeviceVocab[] = [
  { weight: 34, deviceType: 0, brand: null, model: null, os: 'WIN', osVersions: ['10', '11'], browser: 'CH', browserEngine: 'Blink', browserVersions: ['124.0', '126.0', '128.0'], resolutions: ['1920x1080', '2560x1440', '1366x768'] },
  { weight: 8, deviceType: 0, brand: null, model: null, os: 'WIN', osVersions: ['10', '11'], browser: 'PS', browserEngine: 'Blink', browserVersions: ['125.0', '127.0'], resolutions: ['1920x1080', '1536x864'] },
  { weight: 14, deviceType: 0, brand: 'Apple', model: null, os: 'MAC', osVersions: ['10.15', '14.5'], browser: 'SF', browserEngine: 'WebKit', browserVersions: ['17.4', '17.5'], resolutions: ['1440x900', '2560x1600', '1728x1117'] },
  { weight: 6, deviceType: 0, brand: 'Apple', model: null, os: 'MAC', osVersions: ['14.5'], browser: 'CH', browserEngine: 'Blink', browserVersions: ['126.0'], resolutions: ['1512x982', '1728x1117'] },
  { weight: 3, deviceType: 0, brand: null, model: null, os: 'LIN', osVersions: [''], browser: 'FF', browserEngine: 'Gecko', browserVersions: ['126.0', '127.0'], resolutions: ['1920x1080'] },
  { weight: 15, deviceType: 1, brand: 'Apple', model: 'iPhone', os: 'IOS', osVersions: ['17.4', '17.5'], browser: 'MF', browserEngine: 'WebKit', browserVersions: ['17.4', '17.5'], resolutions: ['390x844', '430x932'] },
  { weight: 7, deviceType: 1, brand: 'Xiaomi', model: 'Redmi Note 12', os: 'AND', osVersions: ['13', '14'], browser: 'CM', browserEngine: 'Blink', browserVersions: ['124.0', '126.0'], resolutions: ['393x873'] },
  { weight: 6, deviceType: 1, brand: 'Huawei', model: 'Mate 60', os: 'AND', osVersions: ['12'], browser: 'CM', browserEngine: 'Blink', browserVersions: ['120.0'], resolutions: ['412x915'] },
  { weight: 4, deviceType: 2, brand: 'Apple', model: 'iPad', os: 'IOS', osVersions: ['17.5'], browser: 'MF', browserEngine: 'WebKit', browserVersions: ['17.5'], resolutions: ['820x1180', '1024x1366'] },
];

export const RefererType = { Direct: 1, SearchEngine: 2, Website: 3, Campaign: 6 } as const;
export type RefererType = (typeof RefererType)[keyof typeof RefererType];

export interface ReferrerVocab {
  readonly weight: number;
  readonly type: RefererType;
  readonly name: string | null;
  readonly url: string | null;
  readonly keyword: string | null;
  /** Only for visitors from mainland China (search engines differ). */
  readonly chinaOnly?: boolean;
  readonly intlOnly?: boolean;
}

export const REFERRERS: readonly ReferrerVocab[] = [
  { weight: 45, type: RefererType.Direct, name: null, url: null, keyword: null },
  { weight: 18, type: RefererType.SearchEngine, name: 'Baidu', url: 'https://www.baidu.com/', keyword: null, chinaOnly: true },
  { weight: 8, type: RefererType.SearchEngine, name: 'Bing', url: 'https://cn.bing.com/', keyword: null },
  { weight: 14, type: RefererType.SearchEngine, name: 'Google', url: 'https://www.google.com/', keyword: null, intlOnly: true },
  { weight: 6, type: RefererType.Website, name: 'zhihu.com', url: 'https://www.zhihu.com/question/41230987', keyword: null, chinaOnly: true },
  { weight: 4, type: RefererType.Website, name: 'github.com', url: 'https://github.com/awesome-datasets/awesome', keyword: null },
  { weight: 5, type: RefererType.Campaign, name: 'weekly-newsletter', url: null, keyword: 'new-datasets' },
  { weight: 3, type: RefererType.Campaign, name: 'wechat-article', url: null, keyword: 'data-report', chinaOnly: true },
];
