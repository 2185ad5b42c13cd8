"""Code tables of the hardship archive (困难职工档案表 of the national 帮扶系统 and its 填表说明).

The form's 填表说明 gives each list as the words to write, without numbers; the codes here number
them in the order the form lists them, so a sheet may hold either. Where a national standard
exists it is used instead (婚姻状况: GB/T 2261.2). Lists the copies of the form disagree on keep
every spelling seen as an alias (健康状况: 癌症 / 恶性肿瘤, 尿毒症 / 终末期肾病).
"""

from . import Code, Table, register

FORM = "困难职工档案表填表说明"

# 健康状况: the form's 15 values. 91/92 are the two values of our earlier five-value list that have
# no counterpart on the form (migrated archives keep them until the clerk picks the illness).
HEALTH = register(Table("hardship_health", "健康状况", FORM, (
    Code("01", "良好", aliases=("健康",)),
    Code("02", "癌症", aliases=("恶性肿瘤",)),
    Code("03", "心血管病"),
    Code("04", "脑血管病"),
    Code("05", "尿毒症", aliases=("终末期肾病",)),
    Code("06", "精神病"),
    Code("07", "肝病"),
    Code("08", "血液病"),
    Code("09", "糖尿病"),
    Code("10", "肿瘤病"),
    Code("11", "腰颈椎病"),
    Code("12", "高血压病", aliases=("高血压",)),
    Code("13", "肺病"),
    Code("14", "一般疾病"),
    Code("15", "残疾"),
    Code("91", "慢性病（旧值，请改选）", aliases=("慢性病",), extension=True),
    Code("92", "重大疾病（旧值，请改选）", aliases=("重大疾病",), extension=True),
), width=2))

# 残疾类别 (the form's seven kinds, as 残疾人证 names them).
DISABILITY = register(Table("hardship_disability", "残疾类别", FORM, (
    Code("1", "视力残疾", aliases=("视力",)),
    Code("2", "听力残疾", aliases=("听力",)),
    Code("3", "言语残疾", aliases=("言语",)),
    Code("4", "智力残疾", aliases=("智力",)),
    Code("5", "肢体残疾", aliases=("肢体",)),
    Code("6", "精神残疾", aliases=("精神",)),
    Code("7", "多重残疾", aliases=("多重",)),
)))

# 劳模类型 (劳模类别 on some copies); 非劳模 is written on sheets that fill every cell.
MODEL_WORKER = register(Table("hardship_model_worker", "劳模类型", FORM, (
    Code("0", "非劳模", aliases=("无", "否", "不是劳模")),
    Code("1", "全国劳模", aliases=("全国劳动模范",)),
    Code("2", "省部级劳模", aliases=("省部级劳动模范", "省级劳模")),
    Code("3", "地市级劳模", aliases=("地市级劳动模范", "市级劳模")),
    Code("9", "其他", aliases=("其他劳模",)),
)))

# 住房类型: the union of the copies' lists (承租单位公房 … 自建房; 商品房, 经济适用房, 两限房).
HOUSING = register(Table("hardship_housing", "住房类型", FORM, (
    Code("01", "承租单位公房", aliases=("单位公房",)),
    Code("02", "政府廉租房", aliases=("廉租房", "公租房")),
    Code("03", "自购房", aliases=("自有住房",)),
    Code("04", "无房"),
    Code("05", "租房", aliases=("租住私房",)),
    Code("06", "自建房"),
    Code("07", "商品房"),
    Code("08", "经济适用房"),
    Code("09", "两限房"),
    Code("99", "其他"),
), width=2))

# 建筑面积 (住房面积) is asked as a bracket; a number of square metres is put in its bracket.
HOUSING_AREA = register(Table("hardship_housing_area", "住房面积", FORM, (
    Code("1", "20以下(含)", aliases=("20以下", "20平方米以下", "≤20")),
    Code("2", "20(不含)至50(含)", aliases=("20至50", "20-50", "20~50")),
    Code("3", "50(不含)至70(含)", aliases=("50至70", "50-70", "50~70")),
    Code("4", "70以上(不含)", aliases=("70以上", ">70")),
)))

# 婚姻状况: GB/T 2261.2-2003; the form's 离异 is the standard's 离婚.
MARITAL = register(Table("marital", "婚姻状况", "GB/T 2261.2-2003", (
    Code("10", "未婚"),
    Code("20", "已婚"),
    Code("21", "初婚", parent="20"),
    Code("22", "再婚", parent="20"),
    Code("23", "复婚", parent="20"),
    Code("30", "丧偶"),
    Code("40", "离婚", aliases=("离异",)),
    Code("90", "未说明的婚姻状况", aliases=("未说明",)),
), width=2))

# 户口类型 as the hardship form asks it (非农业 / 农业 / 农转居); the national 户口类型 labels of a
# member roster are read as their agricultural / non-agricultural side.
HUKOU = register(Table("hardship_hukou", "户口类型", FORM, (
    Code("1", "非农业", aliases=("非农业户口", "非农业家庭户口", "非农业集体户口", "城镇", "城镇户口")),
    Code("2", "农业", aliases=("农业户口", "农业家庭户口", "农业集体户口", "农村", "农村户口")),
    Code("3", "农转居", aliases=("农转非",)),
)))

# 单位性质: the form's list; copies end it differently, 其他 catches the rest.
UNIT_NATURE = register(Table("hardship_unit_nature", "单位性质", FORM, (
    Code("1", "国有机关/事业单位", aliases=("机关事业单位", "国有机关", "事业单位", "机关")),
    Code("2", "国有企业", aliases=("国企", "国有及国有控股企业")),
    Code("3", "集体企业"),
    Code("4", "民营/私营/个体企业", aliases=("民营企业", "私营企业", "个体企业", "非公企业", "个体工商户")),
    Code("5", "外资/合资企业", aliases=("外资企业", "合资企业", "港澳台企业", "外商投资企业")),
    Code("9", "其他"),
)))

# 企业状况: the form's list was not recovered in full (DOMAIN §4.2); these are the states the copies
# and the 解困脱困 guidance name.
ENTERPRISE_STATUS = register(Table("hardship_enterprise_status", "企业状况", FORM, (
    Code("1", "正常", aliases=("正常经营", "经营正常")),
    Code("2", "停产半停产", aliases=("停产", "半停产", "停产、半停产")),
    Code("3", "破产", aliases=("关闭破产", "破产关闭")),
    Code("4", "改制", aliases=("改制重组",)),
    Code("5", "亏损", aliases=("困难企业", "经营困难")),
    Code("9", "其他"),
)))

# 医保状况 (是否进入医保 on older copies).
MEDICAL_INSURANCE = register(Table("hardship_medical", "医保状况", FORM, (
    Code("1", "城镇职工基本医疗保险", aliases=("职工医保", "城镇职工医保", "职工基本医疗保险", "已参加职工医保")),
    Code("2", "城乡居民基本医疗保险", aliases=("居民医保", "城镇居民医保", "城镇居民基本医疗保险", "城乡居民医保")),
    Code("3", "新型农村合作医疗", aliases=("新农合",)),
    Code("4", "其他医疗保障", aliases=("公费医疗", "其他")),
    Code("5", "已参保", aliases=("是", "有", "已参加")),
    Code("9", "未参保", aliases=("否", "无", "未参加")),
)))

# 人员身份 of a family member: the form's 工作状态 values and what those outside work are.
IDENTITY = register(Table("hardship_identity", "人员身份", FORM, (
    Code("01", "在岗", aliases=("在职", "在业")),
    Code("02", "下(待)岗", aliases=("下岗", "待岗", "待(下)岗")),
    Code("03", "失(无)业", aliases=("失业", "无业")),
    Code("04", "退休"),
    Code("05", "病休"),
    Code("06", "内退", aliases=("退养(内退)",)),
    Code("07", "农民工"),
    Code("08", "离休"),
    Code("11", "学生", aliases=("在校学生", "在读")),
    Code("12", "学龄前儿童", aliases=("学龄前", "幼儿")),
    Code("13", "务农", aliases=("农民",)),
    Code("14", "灵活就业", aliases=("个体", "打零工")),
    Code("15", "丧失劳动能力", aliases=("无劳动能力",)),
    Code("99", "其他"),
), width=2))

# 致困原因 (the national form's ten, written 1…10 or by name).
CAUSE = register(Table("hardship_cause", "致困原因", FORM, (
    Code("01", "无劳动能力"),
    Code("02", "有劳动能力而未就业"),
    Code("03", "下岗失业"),
    Code("04", "未参加社会保险"),
    Code("05", "社会保险待遇落实不到位"),
    Code("06", "患重特大疾病", aliases=("重特大疾病", "因病")),
    Code("07", "遭受自然灾害", aliases=("自然灾害",)),
    Code("08", "遭受意外事故", aliases=("意外事故",)),
    Code("09", "子女上学", aliases=("因学",)),
    Code("10", "其他"),
), width=2))
