/** Vocabulary of the audience: names, companies and where they are. All names are invented. */

export const ZH_SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'] as const;
export const ZH_GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '晓东', '子涵', '浩然', '雨桐', '思远', '佳怡', '一鸣', '欣然'] as const;
export const ZH_PINYIN: Readonly<Record<string, string>> = {
  王: 'wang', 李: 'li', 张: 'zhang', 刘: 'liu', 陈: 'chen', 杨: 'yang', 黄: 'huang', 赵: 'zhao', 吴: 'wu', 周: 'zhou',
  徐: 'xu', 孙: 'sun', 马: 'ma', 朱: 'zhu', 胡: 'hu', 郭: 'guo', 何: 'he', 林: 'lin', 罗: 'luo', 高: 'gao',
};
export const EN_FIRST = ['James', 'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sophia', 'Mason', 'Chloe', 'Daniel', 'Grace', 'Henry', 'Isla'] as const;
export const EN_LAST = ['Smith', 'Miller', 'Brown', 'Wilson', 'Taylor', 'Clark', 'Walker', 'Young', 'King', 'Wright', 'Scott', 'Baker', 'Hughes', 'Foster'] as const;

export const ZH_COMPANY_CITY = ['北京', '上海', '深圳', '杭州', '广州', '成都', '南京', '苏州', '武汉', '西安'] as const;
export const ZH_COMPANY_WORD = ['云启', '数智', '星辰', '衡泰', '博远', '智联', '汇通', '鼎盛', '华信', '远景', '青禾', '明德'] as const;
export const ZH_COMPANY_KIND = ['科技有限公司', '数据科技有限公司', '信息技术有限公司', '投资管理有限公司', '咨询有限公司'] as const;
export const EN_COMPANY_WORD = ['Northwind', 'Bluepeak', 'Silverline', 'Harbor', 'Keystone', 'Brightwater', 'Redwood', 'Summit', 'Lumen', 'Atlas'] as const;
export const EN_COMPANY_KIND = ['Analytics Ltd', 'Capital', 'Research Inc.', 'Labs', 'Consulting GmbH', 'Data Pte. Ltd.'] as const;

export const EMAIL_DOMAINS_CN = ['qq.com', '163.com', 'outlook.com', 'foxmail.com'] as const;
export const EMAIL_DOMAINS_INTL = ['gmail.com', 'outlook.com', 'proton.me', 'yahoo.com'] as const;

export interface CityVocab {
  readonly name: string;
  /** ISO 3166-2 subdivision code without the country prefix, as Matomo stores it. */
  readonly region: string;
  readonly lat: number;
  readonly lon: number;
}

export interface CountryVocab {
  /** ISO 3166-1 alpha-2, lower case as in matomo_log_visit.location_country. */
  readonly code: string;
  readonly weight: number;
  readonly utcOffsetHours: number;
  readonly chinese: boolean;
  /** First octet of the (anonymised) IPv4 addresses of this country's visitors. */
  readonly ipFirstOctets: readonly number[];
  readonly cities: readonly CityVocab[];
}

const city = (name: string, region: string, lat: number, lon: number): CityVocab => ({ name, region, lat, lon });

export const COUNTRIES: readonly CountryVocab[] = [
  {
    code: 'cn', weight: 70, utcOffsetHours: 8, chinese: true, ipFirstOctets: [36, 58, 101, 106, 111, 112, 114, 117, 120, 183],
    cities: [
      city('Beijing', 'BJ', 39.9042, 116.4074), city('Shanghai', 'SH', 31.2304, 121.4737),
      city('Shenzhen', 'GD', 22.5431, 114.0579), city('Guangzhou', 'GD', 23.1291, 113.2644),
      city('Hangzhou', 'ZJ', 30.2741, 120.1551), city('Chengdu', 'SC', 30.5728, 104.0668),
      city('Nanjing', 'JS', 32.0603, 118.7969), city('Wuhan', 'HB', 30.5928, 114.3055),
    ],
  },
  { code: 'hk', weight: 5, utcOffsetHours: 8, chinese: true, ipFirstOctets: [59, 112, 203], cities: [city('Hong Kong', 'HCW', 22.3193, 114.1694)] },
  { code: 'sg', weight: 5, utcOffsetHours: 8, chinese: false, ipFirstOctets: [103, 175], cities: [city('Singapore', '01', 1.3521, 103.8198)] },
  {
    code: 'us', weight: 9, utcOffsetHours: -5, chinese: false, ipFirstOctets: [24, 64, 73, 98, 174],
    cities: [city('New York', 'NY', 40.7128, -74.006), city('San Francisco', 'CA', 37.7749, -122.4194), city('Seattle', 'WA', 47.6062, -122.3321)],
  },
  { code: 'gb', weight: 4, utcOffsetHours: 0, chinese: false, ipFirstOctets: [81, 86, 90], cities: [city('London', 'ENG', 51.5072, -0.1276)] },
  { code: 'de', weight: 3, utcOffsetHours: 1, chinese: false, ipFirstOctets: [79, 84, 91], cities: [city('Berlin', 'BE', 52.52, 13.405), city('Frankfurt am Main', 'HE', 50.1109, 8.6821)] },
  { code: 'jp', weight: 4, utcOffsetHours: 9, chinese: false, ipFirstOctets: [126, 133, 153], cities: [city('Tokyo', '13', 35.6762, 139.6503)] },
];
