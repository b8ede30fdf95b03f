import { b, f, m, s, type IndustryVocab } from './model.js';

export const REAL_ESTATE: IndustryVocab = {
  key: 'real_estate',
  tag: 'real-estate',
  label: b('房地产', 'Real Estate'),
  weight: 8,
  sellers: ['房数通', 'Parcelwise', '安居数据研究院'],
  useCases: [b('估价建模', 'valuation modelling'), b('选址分析', 'site selection'), b('市场监测', 'market monitoring')],
  clusters: [
    {
      key: 'housing',
      tag: 'housing',
      priceLevel: 600,
      subjects: [s('新房', 'new home', 'china'), s('二手房', 'resale home', 'china'), s('租房', 'rental home', 'china')],
      measures: [
        m('transactions', '成交', 'transactions', ['daily', 'weekly', 'monthly']),
        m('listing-prices', '挂牌价', 'listing prices', ['weekly', 'monthly']),
        m('housing-inventory', '库存', 'inventory', ['monthly']),
      ],
      fields: f('城市/city', '小区/compound', '面积/floor area', '总价/total price', '单价/price per m²'),
    },
    {
      key: 'land',
      tag: 'land',
      priceLevel: 800,
      subjects: [s('住宅用地', 'residential land', 'china'), s('商办用地', 'commercial land', 'china'), s('工业用地', 'industrial land', 'china')],
      measures: [
        m('land-deals', '出让成交', 'auction results', ['weekly', 'monthly']),
        m('premium-rates', '溢价率', 'premium rates', ['monthly']),
        m('zoning', '规划条件', 'zoning', ['snapshot']),
      ],
      fields: f('地块编号/parcel id', '城市/city', '面积/area', '成交价/deal price', '竞得人/winner'),
    },
    {
      key: 'poi',
      tag: 'poi',
      priceLevel: 400,
      subjects: [s('住宅小区', 'residential compound', 'china'), s('商圈', 'business district', 'china'), s('学区', 'school district', 'china')],
      measures: [
        m('poi-list', 'POI', 'POI', ['snapshot', 'quarterly']),
        m('amenities', '周边配套', 'amenities', ['snapshot']),
        m('demographics', '人口画像', 'demographics', ['quarterly', 'annual']),
      ],
      fields: f('名称/name', '地址/address', '经纬度/coordinates', '类别/category', '人口/population'),
    },
  ],
};

export const MANUFACTURING: IndustryVocab = {
  key: 'manufacturing',
  tag: 'manufacturing',
  label: b('制造业', 'Manufacturing'),
  weight: 7,
  sellers: ['智造数联', 'Forgepoint Data', '工链研究院'],
  useCases: [b('供应链风控', 'supply-chain risk'), b('产能分析', 'capacity analysis'), b('预测性维护', 'predictive maintenance')],
  clusters: [
    {
      key: 'industrial-output',
      tag: 'industrial',
      priceLevel: 400,
      subjects: [s('规上工业', 'large industrial enterprise', 'china'), s('汽车制造', 'automotive', 'china'), s('半导体', 'semiconductor', 'global')],
      measures: [
        m('output', '产量', 'output', ['monthly', 'quarterly']),
        m('utilization', '产能利用率', 'capacity utilization', ['quarterly']),
        m('exports', '出口', 'exports', ['monthly']),
      ],
      fields: f('行业/sector', '地区/region', '产量/output', '同比/YoY', '利用率/utilization'),
    },
    {
      key: 'supply-chain',
      tag: 'supply-chain',
      priceLevel: 700,
      subjects: [s('供应商', 'supplier', 'china'), s('原材料', 'raw material', 'global'), s('工厂', 'factory', 'china')],
      measures: [
        m('supplier-directory', '名录', 'directory', ['snapshot', 'quarterly']),
        m('material-prices', '价格', 'prices', ['daily', 'weekly']),
        m('lead-times', '交期', 'lead times', ['weekly', 'monthly']),
      ],
      fields: f('企业名称/company', '品类/category', '产能/capacity', '价格/price', '交期/lead time'),
    },
    {
      key: 'industrial-iot',
      tag: 'iot',
      priceLevel: 1000,
      subjects: [s('工业设备', 'industrial equipment', 'china'), s('传感器', 'sensor', 'global'), s('数控机床', 'CNC machine', 'china')],
      measures: [
        m('telemetry', '运行数据', 'telemetry', ['realtime', 'minute']),
        m('fault-logs', '故障记录', 'fault logs', ['daily', 'snapshot']),
        m('energy-use', '能耗', 'energy use', ['hourly', 'daily']),
      ],
      fields: f('设备ID/device id', '时间戳/timestamp', '温度/temperature', '振动/vibration', '状态码/status code'),
    },
  ],
};

export const TELECOM: IndustryVocab = {
  key: 'telecom',
  tag: 'telecom',
  label: b('通信互联网', 'Telecom & Internet'),
  weight: 6,
  sellers: ['信数通', 'Signalgrid', '移动互联研究院'],
  useCases: [b('用户增长分析', 'growth analytics'), b('网络规划', 'network planning'), b('竞品研究', 'competitive research')],
  clusters: [
    {
      key: 'mobile-network',
      tag: 'mobile',
      priceLevel: 500,
      subjects: [s('移动用户', 'mobile subscriber', 'china'), s('5G基站', '5G base station', 'china'), s('手机终端', 'handset', 'global')],
      measures: [
        m('subscriber-counts', '规模', 'counts', ['monthly', 'quarterly']),
        m('coverage', '覆盖', 'coverage', ['snapshot', 'quarterly']),
        m('shipments', '出货量', 'shipments', ['monthly', 'quarterly']),
      ],
      fields: f('运营商/carrier', '省份/province', '用户数/subscribers', '基站数/sites', '品牌/brand'),
    },
    {
      key: 'apps',
      tag: 'internet',
      priceLevel: 450,
      subjects: [s('移动App', 'mobile app', 'china'), s('小程序', 'mini program', 'china'), s('海外App', 'overseas app', 'global')],
      measures: [
        m('active-users', '活跃用户', 'active users', ['daily', 'monthly']),
        m('downloads', '下载量', 'downloads', ['daily', 'weekly']),
        m('usage-time', '使用时长', 'usage time', ['weekly', 'monthly']),
      ],
      fields: f('应用名称/app', '类别/category', 'DAU/DAU', 'MAU/MAU', '时长/minutes'),
    },
  ],
};

export const EDUCATION: IndustryVocab = {
  key: 'education',
  tag: 'education',
  label: b('教育', 'Education'),
  weight: 5,
  sellers: ['学数科技', 'Campusmetrics', '启明教育研究'],
  useCases: [b('招生规划', 'enrolment planning'), b('择校分析', 'school choice analysis'), b('教育研究', 'education research')],
  clusters: [
    {
      key: 'schools',
      tag: 'schools',
      priceLevel: 200,
      subjects: [s('高校', 'university', 'china'), s('中小学', 'K-12 school', 'china'), s('职业院校', 'vocational school', 'china')],
      measures: [
        m('school-directory', '名录', 'directory', ['snapshot', 'annual']),
        m('admissions', '招生', 'admissions', ['annual']),
        m('employment', '毕业生就业', 'graduate employment', ['annual']),
      ],
      fields: f('学校名称/school', '省份/province', '类型/type', '招生人数/intake', '就业率/employment rate'),
    },
    {
      key: 'exams',
      tag: 'exams',
      priceLevel: 150,
      subjects: [s('高考', 'gaokao', 'china'), s('考研', 'postgraduate entrance exam', 'china'), s('留学申请', 'study-abroad application', 'global')],
      measures: [
        m('cut-off-scores', '分数线', 'cut-off scores', ['annual']),
        m('applicants', '报名人数', 'applicants', ['annual']),
        m('offers', '录取结果', 'admission results', ['annual', 'snapshot']),
      ],
      fields: f('年份/year', '省份/province', '批次/batch', '分数线/cut-off', '人数/count'),
    },
  ],
};

export const GOVERNMENT: IndustryVocab = {
  key: 'government',
  tag: 'government',
  label: b('政务公开', 'Public Sector'),
  weight: 6,
  sellers: ['政数汇', 'Civic Ledger', '天衡企业信用'],
  useCases: [b('招投标分析', 'tender analysis'), b('企业尽调', 'company due diligence'), b('区域经济研究', 'regional economics')],
  clusters: [
    {
      key: 'public-finance',
      tag: 'public-finance',
      priceLevel: 300,
      subjects: [s('地方财政', 'local government finance', 'china'), s('政府采购', 'government procurement', 'china'), s('专项债', 'special-purpose bond', 'china')],
      measures: [
        m('budget', '收支', 'revenue and expenditure', ['monthly', 'annual']),
        m('tender-awards', '中标公告', 'award notices', ['daily', 'weekly']),
        m('bond-issuance', '发行', 'issuance', ['monthly']),
      ],
      fields: f('地区/region', '项目/project', '金额/amount', '采购人/buyer', '日期/date'),
    },
    {
      key: 'company-registry',
      tag: 'company-registry',
      priceLevel: 600,
      subjects: [s('企业工商', 'company registration', 'china'), s('司法诉讼', 'court case', 'china'), s('知识产权', 'intellectual property', 'china')],
      measures: [
        m('records', '登记信息', 'records', ['daily', 'snapshot']),
        m('changes', '变更记录', 'change history', ['daily', 'weekly']),
        m('patents', '专利', 'patents', ['weekly', 'monthly']),
      ],
      fields: f('统一社会信用代码/credit code', '企业名称/company', '法定代表人/legal representative', '注册资本/registered capital', '状态/status'),
    },
  ],
};

export const ENVIRONMENT: IndustryVocab = {
  key: 'environment',
  tag: 'environment',
  label: b('环境气象', 'Environment & Weather'),
  weight: 9,
  sellers: ['天衍气象', 'Skyframe Climate', '清源环境数据'],
  useCases: [b('天气风险建模', 'weather risk modelling'), b('ESG评估', 'ESG assessment'), b('环境监测', 'environmental monitoring')],
  clusters: [
    {
      key: 'weather',
      tag: 'weather',
      priceLevel: 500,
      subjects: [s('全国气象站', 'national weather station', 'china'), s('全球再分析', 'global reanalysis', 'global'), s('台风', 'typhoon', 'china')],
      measures: [
        m('observations', '观测', 'observations', ['hourly', 'daily']),
        m('forecasts', '预报', 'forecasts', ['hourly', 'daily']),
        m('tracks', '路径', 'tracks', ['hourly', 'snapshot']),
      ],
      fields: f('站点/station', '时间/time', '气温/temperature', '降水/precipitation', '风速/wind speed'),
    },
    {
      key: 'air-water',
      tag: 'air-quality',
      priceLevel: 350,
      subjects: [s('城市空气质量', 'urban air quality', 'china'), s('地表水质', 'surface water quality', 'china'), s('全球空气质量', 'global air quality', 'global')],
      measures: [
        m('monitoring', '监测', 'monitoring', ['hourly', 'daily']),
        m('rankings', '排名', 'rankings', ['monthly', 'annual']),
        m('exceedances', '超标记录', 'exceedances', ['daily', 'monthly']),
      ],
      fields: f('站点/site', 'AQI/AQI', 'PM2.5/PM2.5', '溶解氧/dissolved oxygen', '日期/date'),
    },
    {
      key: 'carbon',
      tag: 'carbon',
      priceLevel: 650,
      subjects: [s('企业碳排放', 'corporate carbon emission', 'china'), s('碳市场', 'carbon market', 'china'), s('欧盟碳市场', 'EU ETS', 'europe')],
      measures: [
        m('emissions', '排放清单', 'emission inventories', ['annual', 'quarterly']),
        m('allowance-prices', '配额价格', 'allowance prices', ['daily', 'weekly']),
        m('disclosures', '信息披露', 'disclosures', ['annual', 'snapshot']),
      ],
      fields: f('主体/entity', '行业/sector', '排放量/emissions', '价格/price', '年份/year'),
    },
  ],
};
