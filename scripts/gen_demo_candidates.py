#!/usr/bin/env python3
"""Regenerates the "candidates" array of src/cli/demo_data.json.

Deterministic: every candidate is written out below; phone numbers are derived from a SHA-256 of the
e-mail address and resident ID numbers from fixed birth data, with the ISO 7064 MOD 11-2 check digit
computed here. No randomness. Usage:

    python3 scripts/gen_demo_candidates.py [path/to/demo_data.json]

The rest of the file (organisation, users, jobs, ...) is left untouched.
"""
import hashlib
import json
import os
import sys

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
PHONE_PREFIXES = ["138", "139", "135", "136", "137", "150", "151", "152", "158", "159",
                  "186", "187", "188", "180", "189", "130", "131", "132", "155", "156", "185", "183"]


def id_check_digit(first17):
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def national_id(area, birth, index, gender):
    seq = (index * 53 + 17) % 900 + 10          # 010..909
    if (seq % 2 == 1) != (gender == "M"):       # odd = male, even = female
        seq += 1
    first17 = f"{area}{birth}{seq:03d}"
    return first17 + id_check_digit(first17)


def phone(index, email):
    digest = hashlib.sha256(email.encode("utf-8")).hexdigest()
    digits = "".join(str(int(c, 16) % 10) for c in digest)[:8]
    return PHONE_PREFIXES[index % len(PHONE_PREFIXES)] + digits


# (name, email, gender, birth date, area code of the ID, source, tags, resume, [(job_ref, stage)])
CANDIDATES = [
    # ---- 销售经理 ----
    ("陈浩然", "chenhaoran@example.com", "M", "19900412", "310115", "Boss直聘", ["B2B销售", "团队管理"],
     "2012年毕业于上海财经大学市场营销专业。先后在两家企业服务公司从事大客户销售，近5年担任华东区销售主管，带领10人团队，2024年团队业绩达成率112%。熟悉SaaS产品的解决方案式销售，擅长连锁零售行业客户开发。",
     [("sales_manager", "interview_completed")]),
    ("赵雅琴", "zhaoyaqin@example.cn", "F", "19920903", "320102", "猎聘", ["智能硬件", "大客户"],
     "南京大学工商管理专业本科。8年智能硬件销售经验，其中3年担任区域销售经理，管理8人团队，年销售额约4000万元。主导过多个连锁商超收银系统项目，熟悉政企招投标流程。",
     [("sales_manager", "hr_review")]),
    ("孙志刚", "sun.zhigang@example.net", "M", "19870125", "370102", "前程无忧", ["快消", "渠道销售"],
     "山东大学市场营销专业本科。10年快消品渠道销售经验，现任某饮料企业山东大区经理，管理经销商40余家。希望转型企业级解决方案销售，具备较强的渠道拓展和商务谈判能力。",
     [("sales_manager", "screening")]),
    ("周晓", "zhouxiao@example.com", "F", "19940618", "330106", "Boss直聘", ["SaaS", "客户成功"],
     "浙江工商大学国际贸易专业本科。6年SaaS行业经验，先做客户成功经理，后转岗大客户销售，2024年个人签约金额620万元，客户续约率93%。熟悉CRM系统和销售漏斗管理。",
     [("sales_manager", "new")]),
    ("吴俊杰", "wujunjie@example.cn", "M", "19891107", "310104", "内部推荐", ["内推", "团队管理"],
     "华东理工大学工商管理硕士。9年企业软件销售经验，现任某ERP厂商华东区销售经理，带领12人团队，连续三年超额完成年度目标。擅长制造业和零售业大客户开发，能独立推进百万级项目谈判。",
     [("sales_manager", "second_round")]),
    ("郑佳怡", "zhengjiayi@example.com", "F", "19950322", "350203", "智联招聘", ["互联网广告", "销售组长"],
     "厦门大学嘉庚学院市场营销专业本科。4年互联网广告销售经验，其中1年担任销售组长，带领5人团队，团队季度业绩在华南区排名第二。沟通表达能力强，希望向销售管理方向发展。",
     [("sales_manager", "new")]),
    ("钱文博", "qianwenbo@example.net", "M", "19860830", "110105", "猎聘", ["医疗器械", "销售总监"],
     "北京工商大学市场营销专业本科。12年医疗器械销售经验，现任华北区销售总监，管理20人团队。客户资源主要集中在医院渠道，期望年薪90万元。",
     [("sales_manager", "rejected")]),
    ("欧阳思远", "ouyangsiyuan@example.com", "M", "19911214", "430104", "官网投递", ["零售信息化", "团队管理"],
     "中南大学市场营销专业本科。8年零售信息化解决方案销售经验，服务过多家区域连锁超市和药房客户，现任华中区销售主管，管理6人团队，2024年团队签约额2800万元。",
     [("sales_manager", "interview_invited")]),
    ("马丽娟", "malijuan@example.cn", "F", "19900509", "320583", "前程无忧", ["工业品销售", "顾问式销售"],
     "苏州大学商学院工商管理专业本科。9年工业自动化设备销售经验，近3年担任销售经理，管理7人团队，负责长三角地区制造业客户。擅长技术型产品的顾问式销售，熟悉项目制销售流程。",
     [("sales_manager", "interviewing")]),
    ("胡斌", "hubin@example.net", "M", "19930227", "340104", "Boss直聘", ["收银设备", "渠道拓展"],
     "安徽大学电子商务专业本科。7年收银设备和POS系统销售经验，熟悉餐饮和零售门店客户的经营需求，曾负责安徽省代理商体系搭建，发展代理商23家，其中2年兼管公司直营体验店。",
     [("sales_manager", "screening"), ("store_manager", "new")]),
    ("林志豪", "linzhihao@example.com", "M", "19881016", "440106", "猎聘", ["零售SaaS", "大客户"],
     "暨南大学市场营销专业硕士。10年企业级SaaS销售经验，现任某零售SaaS公司华南区销售经理，管理10人团队，2024年区域业绩5200万元，同比增长35%。熟悉大型连锁零售客户的决策链和采购流程。",
     [("sales_manager", "offer")]),
    ("许梦瑶", "xumengyao@example.cn", "F", "19930517", "110105", "前程无忧", ["母婴零售", "会员运营"],
     "首都经济贸易大学工商管理专业本科。6年母婴连锁零售经验，现任门店店长，管理12名员工，擅长会员运营和社群营销，门店会员复购率达到65%。",
     [("sales_manager", "talent_pool"), ("store_manager", "new")]),

    # ---- 高级Java开发工程师 ----
    ("杨帆", "yangfan.dev@example.com", "M", "19930721", "330102", "Boss直聘", ["分布式", "高并发"],
     "浙江工业大学计算机科学与技术专业本科。7年Java后端开发经验，现任某电商平台高级开发工程师，负责订单中心的设计与开发，支撑日均200万单。熟悉Spring Cloud、RocketMQ、Redis和分库分表，有多次大促保障经验。",
     [("senior_java_engineer", "interview_completed")]),
    ("黄思琪", "huangsiqi@example.net", "F", "19940108", "420106", "猎聘", ["支付系统", "JVM调优"],
     "华中科技大学软件工程硕士。6年Java开发经验，先后在两家支付公司负责清结算和支付网关系统开发，主导过核心账务系统的性能优化，将日终对账耗时从4小时缩短至40分钟。熟悉JVM调优和分布式事务。",
     [("senior_java_engineer", "second_round")]),
    ("徐子轩", "xuzixuan@example.com", "M", "19960530", "320102", "智联招聘", ["微服务", "物流"],
     "南京邮电大学计算机科学与技术专业本科。5年Java开发经验，目前在一家物流科技公司负责运单和调度服务的开发，参与过单体系统向微服务的拆分。熟悉Spring Boot、MySQL和Kafka。",
     [("senior_java_engineer", "new")]),
    ("高明", "gaoming@example.cn", "M", "19900311", "610113", "前程无忧", ["架构设计", "带团队"],
     "西安电子科技大学计算机硕士。9年Java开发经验，现任某互联网金融公司技术专家，负责交易系统的架构设计，带领6人开发小组。主导过从单体到微服务的改造，系统可用性从99.9%提升到99.99%。",
     [("senior_java_engineer", "hired")]),
    ("罗晓彤", "luoxiaotong@example.com", "F", "19951002", "510107", "Boss直聘", ["电商", "Elasticsearch"],
     "电子科技大学软件工程专业本科。6年Java后端开发经验，负责过商品搜索和推荐服务的开发，熟悉Elasticsearch、Redis和Spring Cloud Alibaba。坚持撰写技术博客，经常在团队内做技术分享。",
     [("senior_java_engineer", "interviewing")]),
    ("梁振宇", "liangzhenyu@example.net", "M", "19921219", "440305", "内部推荐", ["内推", "高并发"],
     "深圳大学计算机科学与技术专业本科。8年Java开发经验，曾在游戏和电商公司负责高并发后端服务开发，设计过峰值5万QPS的秒杀系统。熟悉Netty、JVM和MySQL性能优化。",
     [("senior_java_engineer", "hr_review")]),
    ("宋雨桐", "songyutong@example.com", "F", "19970415", "370202", "官网投递", ["SaaS", "订单系统"],
     "中国海洋大学计算机科学与技术专业本科。4年Java开发经验，目前在一家SaaS公司负责订单和库存模块的开发，熟悉Spring Boot和MySQL，参与过两次大版本的性能优化。",
     [("senior_java_engineer", "screening")]),
    ("谢鹏飞", "xiepengfei@example.cn", "M", "19910808", "360102", "Boss直聘", ["政务系统", "Oracle"],
     "南昌大学信息管理与信息系统专业本科。8年软件开发经验，主要参与银行和政务系统的项目交付，熟悉Java、Oracle和传统SSH框架，暂无互联网高并发系统的开发经历。",
     [("senior_java_engineer", "rejected")]),
    ("韩冬", "handong@example.net", "M", "19931126", "210102", "猎聘", ["中间件", "开源贡献"],
     "东北大学计算机硕士。6年Java开发经验，在某云服务公司参与消息队列中间件的研发，对RocketMQ和Netty源码有深入研究，是某Apache开源项目的贡献者。",
     [("senior_java_engineer", "interview_invited")]),
    ("冯子豪", "fengzihao@example.com", "M", "19940909", "330203", "前程无忧", ["供应链", "DevOps"],
     "宁波大学计算机科学与技术专业本科。6年Java开发经验，负责过供应链系统的库存和采购模块，推动团队落地CI/CD和容器化部署。熟悉Spring Boot、Kubernetes和MySQL。",
     [("senior_java_engineer", "interview_invited")]),
    ("曹一鸣", "caoyiming@example.cn", "M", "19950606", "110108", "Boss直聘", ["算法竞赛", "用户增长"],
     "北京邮电大学计算机硕士，研究生期间获ACM-ICPC亚洲区域赛银牌。4年后端开发经验，在某内容平台负责用户增长和活动系统的开发，熟悉Java和Go。",
     [("senior_java_engineer", "talent_pool")]),

    # ---- 门店经理 ----
    ("刘秀英", "liuxiuying@example.com", "F", "19850713", "110101", "智联招聘", ["生鲜超市", "店长"],
     "北京物资学院物流管理专业大专。12年超市行业经验，从理货员做到店长，现任某连锁超市店长，门店面积1200平方米、员工45人，年销售额约4500万元。擅长生鲜品类管理和损耗控制。",
     [("store_manager", "interview_completed")]),
    ("张建军", "zhangjianjun@example.net", "M", "19830228", "120101", "前程无忧", ["便利店", "多店管理"],
     "天津商业大学工商管理专业本科。14年连锁便利店经验，现任区域督导，负责8家门店的运营管理，曾带领门店获得区域年度业绩第一。熟悉门店排班、订货和促销执行。",
     [("store_manager", "hr_review")]),
    ("何静", "hejing@example.cn", "F", "19900824", "130102", "Boss直聘", ["连锁餐饮", "店长"],
     "河北经贸大学酒店管理专业本科。8年连锁餐饮门店管理经验，现任某火锅品牌店长，管理员工30人，门店翻台率和顾客满意度常年位居区域前三。希望转型社区零售行业。",
     [("store_manager", "screening")]),
    ("吕洁", "lvjie@example.com", "F", "19921201", "110105", "内部推荐", ["内推", "社群团购"],
     "北京联合大学市场营销专业本科。7年社区超市工作经验，现任某社区生鲜连锁的店长助理，负责排班、订货和会员运营，主导的社群团购项目使门店月销售额提升15%。",
     [("store_manager", "second_round")]),
    ("邓国庆", "dengguoqing@example.net", "M", "19801001", "110108", "智联招聘", ["大卖场", "经验丰富"],
     "北京工商大学工商管理专业大专。18年大卖场运营经验，曾任某外资大卖场副店长，管理员工200余人，熟悉大型门店的部门化管理模式。",
     [("store_manager", "rejected")]),
    ("田野", "tianye@example.com", "M", "19910309", "220104", "Boss直聘", ["生鲜", "损耗控制"],
     "吉林财经大学物流管理专业本科。8年生鲜超市经验，先后担任生鲜主管和店长，将门店生鲜损耗率从5%降到2.3%。熟悉生鲜采购、订货和陈列标准。",
     [("store_manager", "interview_invited")]),
    ("蒋丽华", "jianglihua@example.cn", "F", "19870920", "140105", "官网投递", ["社区超市", "店长"],
     "山西财经大学市场营销专业大专。11年超市零售经验，现任某区域连锁超市店长，门店面积600平方米，员工22人，2024年门店销售额同比增长9%。",
     [("store_manager", "interviewing")]),
    ("沈浩", "shenhao@example.com", "M", "19941111", "120101", "猎聘", ["便利店", "数据分析"],
     "南开大学滨海学院工商管理专业本科。5年连锁便利店经验，现任店长，善于通过销售数据调整商品结构，所负责门店的日均销售额从1.8万元提升到2.5万元。",
     [("store_manager", "new")]),
    ("袁芳", "yuanfang@example.net", "F", "19890131", "410105", "智联招聘", ["服装零售", "陈列培训"],
     "河南财经政法大学市场营销专业本科。9年服装零售经验，现任某快时尚品牌店长，管理员工18人，擅长商品陈列和新员工培训，所在门店连续两年获评区域“金牌门店”。",
     [("store_manager", "screening")]),

    # ---- 风控分析师 ----
    ("范晓东", "fanxiaodong@example.com", "M", "19960815", "440305", "猎聘", ["消费金融", "贷前策略"],
     "中山大学统计学硕士。4年消费金融风控经验，现任某持牌消费金融公司策略分析师，负责线上信贷产品的贷前准入和额度策略，通过策略优化使首逾率下降0.7个百分点。熟练使用SQL、Python和SAS。",
     [("risk_analyst", "interview_completed")]),
    ("方雯", "fangwen@example.cn", "F", "19970303", "440106", "Boss直聘", ["反欺诈", "关联图谱"],
     "暨南大学金融工程硕士。3年互联网金融反欺诈经验，搭建过基于设备指纹和关联图谱的团伙识别规则，累计拦截欺诈申请约4000笔。熟悉Python、Neo4j和Hive。",
     [("risk_analyst", "offer")]),
    ("侯俊", "houjun@example.net", "M", "19941212", "420106", "智联招聘", ["银行风控", "评分卡"],
     "武汉大学数学与应用数学专业本科、金融学硕士。5年银行信用卡中心风控经验，负责申请评分卡和行为评分卡的开发与监控，熟悉KS、PSI等模型指标，有监管报送经验。",
     [("risk_analyst", "hr_review")]),
    ("邱子琪", "qiuziqi@example.com", "F", "19980707", "350203", "官网投递", ["数据分析", "转岗风控"],
     "厦门大学统计学硕士。2年互联网公司数据分析经验，负责用户增长和营销效果分析，熟练使用SQL和Python，自学了评分卡建模并完成过公开数据集的建模练习。",
     [("risk_analyst", "interviewing")]),
    ("段宏伟", "duanhongwei@example.cn", "M", "19930404", "610113", "前程无忧", ["贷后管理", "催收策略"],
     "西安交通大学金融学专业本科。6年小额贷款公司风控经验，负责贷后管理和催收策略，搭建了逾期客户分层催收模型，使M1回收率提升8个百分点。",
     [("risk_analyst", "screening")]),
    ("夏雨", "xiayu@example.net", "F", "19960621", "510104", "Boss直聘", ["零售信贷", "SQL"],
     "西南财经大学金融数学专业本科。4年银行零售信贷风控经验，负责个人贷款的风险监测和报表分析，熟悉SQL和Excel建模，正在系统学习Python机器学习。",
     [("risk_analyst", "new")]),
    ("雷鸣", "leiming@example.com", "M", "19950928", "430102", "猎聘", ["小微金融", "行业研究"],
     "湖南大学金融学硕士。4年小微企业信贷风控经验，负责餐饮、零售等行业客户的授信审查和行业风险研究，熟悉企业财务报表分析以及税务、发票数据在风控中的应用。",
     [("risk_analyst", "interview_invited")]),
    ("张子涵", "zhangzihan@example.cn", "F", "19940219", "330106", "内部推荐", ["内推", "风控平台"],
     "浙江大学计算机科学与技术专业本科。6年开发经验，近3年在某金融科技公司负责风控决策引擎和特征平台的开发，熟悉Java、Python、SQL和Flink，参与过反欺诈规则的上线和效果评估，希望转型风控策略方向。",
     [("senior_java_engineer", "rejected"), ("risk_analyst", "screening")]),
    ("陈雨萱", "chenyuxuan@example.com", "F", "20010512", "510107", "校园招聘", ["应届生", "数学"],
     "四川师范大学数学与应用数学专业硕士，2026届应届毕业生，本科期间获国家奖学金。曾在某银行成都分行风险管理部实习半年，并在一所初中完成一学期的教育实习，熟悉Python数据分析，持有高中数学教师资格证。",
     [("risk_analyst", "rejected"), ("math_teacher", "interview_invited")]),
    ("白晓龙", "baixiaolong@example.net", "M", "19950120", "110108", "Boss直聘", ["大数据", "Java"],
     "北京交通大学软件工程专业本科。6年数据开发经验，熟悉Java、Spark和Hive，在某互联网金融公司负责风控特征和数据仓库的建设，对模型监控和策略分析有一定了解。",
     [("senior_java_engineer", "screening"), ("risk_analyst", "new")]),
    ("潘悦", "panyue@example.cn", "F", "20001010", "320102", "校园招聘", ["应届生", "统计"],
     "南京师范大学应用统计专业硕士，2026届应届毕业生。曾在南京一所初中担任一学期数学实习教师，也在某证券公司做过风险数据分析实习，熟练使用R和Python。",
     [("risk_analyst", "new"), ("math_teacher", "new")]),

    # ---- 生产经理 ----
    ("王海涛", "wanghaitao@example.com", "M", "19820615", "320505", "猎聘", ["汽车零部件", "冲压"],
     "江苏大学机械设计制造及其自动化专业本科。16年汽车零部件制造经验，现任某德资企业冲压车间经理，管理员工150人，主导推行TPM和快速换模，车间OEE提升12个百分点。熟悉IATF 16949质量体系。",
     [("production_manager", "interview_completed")]),
    ("李国栋", "liguodong@example.net", "M", "19841103", "320583", "前程无忧", ["压铸", "精益生产"],
     "合肥工业大学材料成型及控制工程专业本科。14年压铸行业经验，现任某铝合金压铸企业生产经理，管理3个车间共220人，主导的精益改善项目每年节约成本约300万元。持有六西格玛黑带证书。",
     [("production_manager", "second_round")]),
    ("朱红梅", "zhuhongmei@example.cn", "F", "19860427", "340104", "智联招聘", ["电子制造", "质量管理"],
     "南京理工大学工业工程专业本科。13年电子制造行业经验，历任工艺工程师、质量主管和生产经理，熟悉SMT和组装工艺，擅长运用8D和SPC解决质量问题，任内客户投诉率下降60%。",
     [("production_manager", "hr_review")]),
    ("陆志明", "luzhiming@example.com", "M", "19800909", "320505", "Boss直聘", ["汽车零部件", "总装"],
     "常州工学院机械工程专业大专。20年制造业一线管理经验，从操作工成长为生产经理，现负责某汽车座椅厂的总装车间，管理员工180人，车间连续三年零重大安全事故。",
     [("production_manager", "interviewing")]),
    ("钟伟", "zhongwei@example.net", "M", "19880707", "441900", "猎聘", ["注塑", "自动化改造"],
     "华南理工大学机械工程专业本科。12年注塑和自动化装配行业经验，现任某家电配件企业生产部经理，推动车间自动化改造，人均产值提升35%。",
     [("production_manager", "interview_invited")]),
    ("曾庆华", "zengqinghua@example.cn", "M", "19850318", "420106", "前程无忧", ["汽车零部件", "生产计划"],
     "武汉理工大学工业工程专业本科。13年汽车零部件行业经验，先后从事生产计划和车间管理工作，熟悉ERP和MES系统，擅长产能规划和多品种小批量排产。",
     [("production_manager", "screening")]),
    ("石磊", "shilei@example.com", "M", "19871222", "310115", "Boss直聘", ["中央厨房", "食品安全"],
     "上海海洋大学食品科学与工程专业本科。12年食品行业经验，现任某连锁餐饮品牌中央厨房生产经理，管理员工80人，负责为150家门店供货，熟悉食品安全管理体系、门店配送和门店运营标准。",
     [("production_manager", "interview_completed"), ("store_manager", "screening")]),
    ("顾晓峰", "guxiaofeng@example.net", "M", "19830808", "320505", "内部推荐", ["内推", "设备管理"],
     "苏州科技大学机械工程专业本科。15年制造业经验，从设备工程师做到生产副经理，熟悉压铸机和冲压设备的维护及TPM管理，主导过两条自动化产线的导入。",
     [("production_manager", "new")]),
    ("彭丽", "pengli@example.cn", "F", "19900202", "360102", "智联招聘", ["精益生产", "IE"],
     "南昌航空大学工业工程专业本科。10年制造业经验，现任某汽车线束企业生产主管，管理两条装配线共90人，主导的生产线平衡项目使生产效率提升18%。",
     [("production_manager", "new")]),
    ("严俊峰", "yanjunfeng@example.com", "M", "19810505", "370202", "猎聘", ["工程机械", "大型车间"],
     "山东科技大学机械工程专业本科。18年工程机械制造经验，现任某工程机械企业生产部长，管理员工400余人，负责结构件和整机装配，推动车间通过了安全生产标准化一级达标。",
     [("production_manager", "second_round")]),
    ("司徒嘉明", "situjiaming@example.net", "M", "19841018", "440106", "前程无忧", ["汽车零部件", "丰田生产方式"],
     "广东工业大学机械工程硕士。15年汽车零部件行业经验，在日资企业工作10年，现任冲压焊接车间经理，管理员工160人，精通丰田生产方式，主导的安全改善项目使工伤事故率下降80%。",
     [("production_manager", "offer")]),

    # ---- 教师（初中数学） ----
    ("苏婉清", "suwanqing@example.cn", "F", "19950910", "510104", "智联招聘", ["初中数学", "班主任"],
     "四川师范大学数学与应用数学（师范）专业本科。6年初中数学教学经验，担任过3年班主任，所带班级中考数学平均分高于区均分8分。持有初中数学教师资格证，获区级优质课一等奖。",
     [("math_teacher", "interview_completed")]),
    ("卢俊", "lujun@example.com", "M", "19930315", "510107", "前程无忧", ["备课组长", "信息化教学"],
     "西南大学学科教学（数学）硕士。7年初中数学教学经验，现为成都某中学数学备课组长，擅长运用平板和几何画板开展信息化教学，主持过一项区级课题。",
     [("math_teacher", "hired")]),
    ("谭雅文", "tanyawen@example.net", "F", "19981208", "500103", "Boss直聘", ["初中数学"],
     "重庆师范大学数学与应用数学专业本科。3年初中数学教学经验，任教两个班，所带班级期末统考成绩位居年级前列。持有初中数学教师资格证，普通话二级甲等。",
     [("math_teacher", "interviewing")]),
    ("戴明轩", "daimingxuan@example.cn", "M", "19960719", "510104", "官网投递", ["高中数学", "竞赛辅导"],
     "四川大学数学专业本科、华东师范大学课程与教学论硕士。4年高中数学教学经验，辅导的学生在全国高中数学联赛中获省级一等奖。持有高中数学教师资格证，希望转向初中数学教学。",
     [("math_teacher", "hr_review")]),
    ("常丽", "changli@example.com", "F", "19911128", "530102", "智联招聘", ["初中数学", "班主任"],
     "云南师范大学数学与应用数学专业本科。10年初中数学教学经验，其中6年担任班主任，所带班级多次被评为校级优秀班集体。因家庭原因计划迁居成都。",
     [("math_teacher", "screening")]),
    ("姚晨", "yaochen@example.net", "M", "19990401", "510107", "校园招聘", ["应届生", "师范生"],
     "四川师范大学学科教学（数学）硕士，2026届应届毕业生。在成都某中学完成一学年的教育实习，独立承担初二数学教学并参与班级管理，获校级教学技能大赛一等奖。",
     [("math_teacher", "new")]),
    ("武文静", "wuwenjing@example.cn", "F", "19940816", "620102", "Boss直聘", ["初中数学", "课程研发"],
     "西北师范大学数学与应用数学专业本科。6年初中数学教学经验，其中2年在教育机构负责初中数学课程研发，熟悉中考命题趋势，擅长分层辅导。持有初中数学教师资格证。",
     [("math_teacher", "interview_completed")]),
    ("乔振华", "qiaozhenhua@example.com", "M", "19880630", "511302", "猎聘", ["骨干教师", "教研组长"],
     "西华师范大学数学与应用数学专业本科。13年初中数学教学经验，市级骨干教师，现任某县中学数学教研组长，多篇教学论文发表于省级期刊。",
     [("math_teacher", "interview_completed")]),
    ("贺婷婷", "hetingting@example.net", "F", "19970211", "520102", "前程无忧", ["初中数学"],
     "贵州师范大学数学与应用数学专业本科。4年初中数学教学经验，任教期间所带班级的数学及格率从62%提升到85%。持有初中数学教师资格证。",
     [("math_teacher", "interview_invited")]),
    ("孟凡", "mengfan@example.cn", "M", "19920523", "370102", "前程无忧", ["培训机构", "中考辅导"],
     "山东师范大学数学与应用数学专业本科。5年教育培训机构数学教师经验，主要负责中考冲刺班的授课，暂无学校全日制教学和班级管理经历，未取得教师资格证。",
     [("math_teacher", "rejected")]),
]


def build():
    out = []
    for i, (name, email, gender, birth, area, source, tags, resume, apps) in enumerate(CANDIDATES):
        out.append({
            "name": name,
            "email": email,
            "phone": phone(i, email),
            "national_id": national_id(area, birth, i, gender),
            "resume_text": resume,
            "source": source,
            "tags": tags,
            "applications": [{"job_ref": j, "stage": s} for j, s in apps],
        })
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src", "cli", "demo_data.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    data["candidates"] = build()
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"wrote {len(data['candidates'])} candidates to {path}")


if __name__ == "__main__":
    main()
