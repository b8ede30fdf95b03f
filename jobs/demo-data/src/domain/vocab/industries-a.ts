import { b, f, m, s, type IndustryVocab } from './model.js';

const PRICE_BARS = { daily: '日线', weekly: '周线', minute: '分钟线' } as const;

export const FINANCE: IndustryVocab = {
  key: 'finance',
  tag: 'finance',
  label: b('金融', 'Finance'),
  weight: 16,
  sellers: ['恒数金融数据', 'Quantbridge Data', '鼎信研究院', 'Ledgerline Analytics'],
  useCases: [b('量化回测', 'quant backtesting'), b('投研分析', 'investment research'), b('风险管理', 'risk management')],
  clusters: [
    {
      key: 'equities',
      tag: 'stock',
      priceLevel: 800,
      subjects: [s('A股', 'China A-share', 'china'), s('美股', 'US equities', 'us'), s('港股', 'Hong Kong equities', 'hk')],
      measures: [
        m('ohlcv', '行情', 'OHLCV', ['minute', 'daily', 'weekly'], PRICE_BARS),
        m('financial-statements', '财务报表', 'financial statements', ['quarterly', 'annual']),
        m('money-flow', '资金流向', 'money flow', ['daily', 'minute']),
      ],
      fields: f('证券代码/ticker', '开盘价/open', '最高价/high', '最低价/low', '收盘价/close', '成交量/volume'),
    },
    {
      key: 'fixed-income',
      tag: 'bond',
      priceLevel: 600,
      subjects: [s('中国国债', 'China government bond', 'china'), s('美国国债', 'US Treasury', 'us'), s('信用债', 'corporate credit bond', 'china')],
      measures: [
        m('yield-curve', '收益率曲线', 'yield curve', ['daily', 'weekly']),
        m('issuance', '发行', 'issuance', ['monthly', 'snapshot']),
        m('rating-changes', '评级变动', 'rating changes', ['monthly', 'snapshot']),
      ],
      fields: f('债券代码/bond code', '期限/tenor', '到期收益率/yield to maturity', '票面利率/coupon', '评级/rating'),
    },
    {
      key: 'crypto',
      tag: 'crypto',
      priceLevel: 300,
      subjects: [s('比特币', 'Bitcoin', 'global'), s('以太坊', 'Ethereum', 'global'), s('主流加密货币', 'top-100 crypto asset', 'global')],
      measures: [
        m('ohlcv', '行情', 'OHLCV', ['minute', 'hourly', 'daily'], PRICE_BARS),
        m('on-chain', '链上指标', 'on-chain metrics', ['hourly', 'daily']),
        m('order-book', '订单簿', 'order book', ['realtime', 'minute']),
      ],
      fields: f('交易对/pair', '价格/price', '成交额/turnover', '活跃地址/active addresses', '手续费/fees'),
    },
    {
      key: 'macro',
      tag: 'macro',
      priceLevel: 200,
      subjects: [s('中国宏观', 'China macro', 'china'), s('美国宏观', 'US macro', 'us'), s('全球宏观', 'global macro', 'global')],
      measures: [
        m('cpi-ppi', 'CPI与PPI', 'CPI and PPI', ['monthly', 'annual']),
        m('gdp', 'GDP分项', 'GDP components', ['quarterly', 'annual']),
        m('money-supply', '货币供应', 'money supply', ['monthly']),
      ],
      fields: f('指标名称/indicator', '地区/region', '数值/value', '同比/YoY', '环比/MoM'),
    },
  ],
};

export const ECOMMERCE: IndustryVocab = {
  key: 'ecommerce',
  tag: 'ecommerce',
  label: b('电商零售', 'E-commerce & Retail'),
  weight: 13,
  sellers: ['数衍商业洞察', 'ShelfSignal', '云图零售研究', 'Cartwheel Insights'],
  useCases: [b('选品分析', 'assortment planning'), b('竞品监测', 'competitor monitoring'), b('销量预测', 'demand forecasting')],
  clusters: [
    {
      key: 'marketplace-sales',
      tag: 'sales',
      priceLevel: 500,
      subjects: [s('天猫', 'Tmall', 'china'), s('京东', 'JD.com', 'china'), s('亚马逊美国站', 'Amazon US', 'us')],
      measures: [
        m('product-sales', '商品销量', 'product sales', ['daily', 'weekly', 'monthly']),
        m('price-tracking', '价格监测', 'price tracking', ['daily', 'hourly']),
        m('reviews', '用户评论', 'customer reviews', ['daily', 'snapshot']),
      ],
      fields: f('商品ID/product id', '类目/category', '品牌/brand', '销量/units sold', '价格/price', '评分/rating'),
    },
    {
      key: 'physical-retail',
      tag: 'retail',
      priceLevel: 400,
      subjects: [s('便利店', 'convenience store', 'china'), s('商超', 'supermarket', 'china'), s('购物中心', 'shopping mall', 'china')],
      measures: [
        m('foot-traffic', '客流', 'foot traffic', ['hourly', 'daily']),
        m('store-locations', '门店分布', 'store locations', ['snapshot', 'quarterly']),
        m('store-sales', '销售额', 'store sales', ['weekly', 'monthly']),
      ],
      fields: f('门店ID/store id', '城市/city', '经纬度/coordinates', '客流量/visitors', '销售额/revenue'),
    },
    {
      key: 'live-commerce',
      tag: 'livestream',
      priceLevel: 450,
      subjects: [s('抖音直播', 'Douyin live commerce', 'china'), s('快手直播', 'Kuaishou live commerce', 'china'), s('淘宝直播', 'Taobao Live', 'china')],
      measures: [
        m('gmv', 'GMV', 'GMV', ['daily', 'weekly']),
        m('streamer-ranking', '主播榜单', 'streamer rankings', ['daily', 'monthly']),
        m('featured-products', '带货商品', 'featured products', ['daily']),
      ],
      fields: f('直播间ID/room id', '主播/streamer', '观看人数/viewers', '销售额/GMV', '商品数/products'),
    },
  ],
};

export const HEALTHCARE: IndustryVocab = {
  key: 'healthcare',
  tag: 'healthcare',
  label: b('医疗健康', 'Healthcare'),
  weight: 9,
  sellers: ['康数医药信息', 'MedAtlas Data', '华衡临床研究'],
  useCases: [b('市场准入', 'market access'), b('医院覆盖分析', 'hospital coverage analysis'), b('药物研发', 'drug R&D')],
  clusters: [
    {
      key: 'pharma',
      tag: 'pharma',
      priceLevel: 900,
      subjects: [s('化学药', 'chemical drug', 'china'), s('医疗器械', 'medical device', 'china'), s('中成药', 'TCM patent medicine', 'china')],
      measures: [
        m('approvals', '注册审批', 'regulatory approvals', ['monthly', 'snapshot']),
        m('procurement', '集采中标', 'volume-based procurement bids', ['quarterly', 'snapshot']),
        m('drug-sales', '医院销售', 'hospital sales', ['monthly', 'quarterly']),
      ],
      fields: f('通用名/generic name', '企业/manufacturer', '批准文号/approval no.', '剂型/dosage form', '中标价/bid price'),
    },
    {
      key: 'hospitals',
      tag: 'hospital',
      priceLevel: 500,
      subjects: [s('三甲医院', 'tier-3 hospital', 'china'), s('基层医疗机构', 'primary care facility', 'china'), s('民营医院', 'private hospital', 'china')],
      measures: [
        m('directory', '名录', 'directory', ['snapshot', 'annual']),
        m('outpatient', '门诊量', 'outpatient visits', ['monthly', 'annual']),
        m('beds', '床位', 'bed capacity', ['annual', 'snapshot']),
      ],
      fields: f('机构名称/name', '等级/grade', '省份/province', '科室/departments', '床位数/beds'),
    },
    {
      key: 'clinical',
      tag: 'clinical-trial',
      priceLevel: 1200,
      subjects: [s('肿瘤临床试验', 'oncology clinical trial', 'global'), s('罕见病临床试验', 'rare disease clinical trial', 'global'), s('中国临床试验', 'China clinical trial', 'china')],
      measures: [
        m('registrations', '登记信息', 'registrations', ['weekly', 'snapshot']),
        m('outcomes', '试验结果', 'outcomes', ['monthly', 'snapshot']),
        m('adverse-events', '不良事件', 'adverse events', ['monthly', 'quarterly']),
      ],
      fields: f('试验编号/trial id', '适应症/indication', '分期/phase', '申办方/sponsor', '入组人数/enrolment'),
    },
  ],
};

export const TRANSPORTATION: IndustryVocab = {
  key: 'transportation',
  tag: 'transport',
  label: b('交通物流', 'Transportation & Logistics'),
  weight: 9,
  sellers: ['途数科技', 'Freightline Data', '通衢交通研究院'],
  useCases: [b('运力规划', 'capacity planning'), b('选址分析', 'site selection'), b('出行研究', 'mobility research')],
  clusters: [
    {
      key: 'logistics',
      tag: 'logistics',
      priceLevel: 600,
      subjects: [s('快递', 'express delivery', 'china'), s('港口', 'port', 'china'), s('国际航运', 'ocean shipping', 'global')],
      measures: [
        m('shipments', '业务量', 'shipment volume', ['daily', 'monthly']),
        m('throughput', '吞吐量', 'throughput', ['weekly', 'monthly']),
        m('freight-index', '运价指数', 'freight rate index', ['daily', 'weekly']),
      ],
      fields: f('日期/date', '线路/lane', '货量/volume', '运价/rate', '时效/transit time'),
    },
    {
      key: 'mobility',
      tag: 'mobility',
      priceLevel: 700,
      subjects: [s('网约车', 'ride-hailing', 'china'), s('共享单车', 'bike-sharing', 'china'), s('城市地铁', 'metro', 'china')],
      measures: [
        m('trips', '订单', 'trips', ['hourly', 'daily']),
        m('trajectories', 'GPS轨迹', 'GPS trajectories', ['realtime', 'minute']),
        m('ridership', '客流', 'ridership', ['hourly', 'daily']),
      ],
      fields: f('城市/city', '起点/origin', '终点/destination', '时长/duration', '里程/distance'),
    },
    {
      key: 'aviation',
      tag: 'aviation',
      priceLevel: 550,
      subjects: [s('国内航班', 'domestic flight', 'china'), s('国际航班', 'international flight', 'global'), s('机场', 'airport', 'china')],
      measures: [
        m('flight-status', '航班动态', 'flight status', ['realtime', 'daily']),
        m('on-time', '准点率', 'on-time performance', ['daily', 'monthly']),
        m('passengers', '旅客吞吐', 'passenger traffic', ['monthly', 'annual']),
      ],
      fields: f('航班号/flight no.', '航司/airline', '起降机场/airports', '计划时间/scheduled time', '延误/delay'),
    },
  ],
};

export const ENERGY: IndustryVocab = {
  key: 'energy',
  tag: 'energy',
  label: b('能源', 'Energy'),
  weight: 7,
  sellers: ['能图数据', 'GridPulse Analytics', '碳衡咨询'],
  useCases: [b('电力交易', 'power trading'), b('能源投资', 'energy investment'), b('碳管理', 'carbon management')],
  clusters: [
    {
      key: 'power',
      tag: 'power',
      priceLevel: 700,
      subjects: [s('全国电网', 'national grid', 'china'), s('光伏电站', 'solar PV plant', 'china'), s('风电场', 'wind farm', 'china')],
      measures: [
        m('generation', '发电量', 'power generation', ['hourly', 'daily', 'monthly']),
        m('load', '负荷', 'load', ['minute', 'hourly']),
        m('power-prices', '电价', 'electricity prices', ['hourly', 'daily']),
      ],
      fields: f('省份/province', '时段/period', '发电量/generation', '负荷/load', '电价/price'),
    },
    {
      key: 'oil-gas',
      tag: 'oil-gas',
      priceLevel: 600,
      subjects: [s('原油', 'crude oil', 'global'), s('天然气', 'natural gas', 'global'), s('成品油', 'refined oil product', 'china')],
      measures: [
        m('commodity-prices', '价格', 'prices', ['daily', 'weekly']),
        m('inventories', '库存', 'inventories', ['weekly', 'monthly']),
        m('trade-flows', '进出口', 'imports and exports', ['monthly']),
      ],
      fields: f('品种/product', '地区/hub', '价格/price', '库存/inventory', '数量/volume'),
    },
    {
      key: 'ev-charging',
      tag: 'ev',
      priceLevel: 450,
      subjects: [s('充电桩', 'EV charging station', 'china'), s('新能源汽车', 'new energy vehicle', 'china'), s('动力电池', 'EV battery', 'china')],
      measures: [
        m('locations', '分布', 'locations', ['snapshot', 'monthly']),
        m('ev-sales', '销量', 'sales', ['monthly']),
        m('installations', '装机量', 'installations', ['monthly', 'quarterly']),
      ],
      fields: f('城市/city', '运营商/operator', '功率/power', '数量/count', '品牌/brand'),
    },
  ],
};

export const AGRICULTURE: IndustryVocab = {
  key: 'agriculture',
  tag: 'agriculture',
  label: b('农业', 'Agriculture'),
  weight: 5,
  sellers: ['禾数农业', 'AgriLens', '丰登遥感'],
  useCases: [b('产量预测', 'yield forecasting'), b('农产品贸易', 'commodity trading'), b('农业保险', 'crop insurance')],
  clusters: [
    {
      key: 'crops',
      tag: 'crops',
      priceLevel: 300,
      subjects: [s('小麦', 'wheat', 'china'), s('玉米', 'corn', 'global'), s('大豆', 'soybean', 'global')],
      measures: [
        m('yield', '产量', 'yield', ['annual', 'quarterly']),
        m('spot-prices', '现货价格', 'spot prices', ['daily', 'weekly']),
        m('planted-area', '种植面积', 'planted area', ['annual']),
      ],
      fields: f('品种/crop', '产区/region', '产量/production', '价格/price', '面积/area'),
    },
    {
      key: 'livestock',
      tag: 'livestock',
      priceLevel: 300,
      subjects: [s('生猪', 'hog', 'china'), s('肉牛', 'beef cattle', 'china'), s('禽类', 'poultry', 'china')],
      measures: [
        m('herd', '存栏', 'herd inventory', ['monthly', 'quarterly']),
        m('livestock-prices', '价格', 'prices', ['daily', 'weekly']),
        m('slaughter', '屠宰量', 'slaughter volume', ['monthly']),
      ],
      fields: f('品种/species', '省份/province', '存栏量/head count', '均价/average price', '屠宰量/slaughtered'),
    },
    {
      key: 'agri-remote-sensing',
      tag: 'remote-sensing',
      priceLevel: 1500,
      subjects: [s('农田', 'cropland', 'china'), s('土壤', 'soil', 'china'), s('全球耕地', 'global farmland', 'global')],
      measures: [
        m('imagery', '卫星影像', 'satellite imagery', ['weekly', 'monthly']),
        m('ndvi', 'NDVI指数', 'NDVI', ['weekly', 'monthly']),
        m('moisture', '墒情', 'soil moisture', ['daily', 'weekly']),
      ],
      fields: f('网格ID/grid id', '经纬度/coordinates', '分辨率/resolution', '指数值/index value', '日期/date'),
    },
  ],
};
