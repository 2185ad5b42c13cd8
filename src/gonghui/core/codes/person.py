"""Code tables about a person: 性别, 民族, 政治面貌, 学历, 户口类型, 就业状况."""

from dataclasses import dataclass

from . import Code, Table, register

GENDER = register(Table("gender", "性别", "GB/T 2261.1-2003", (
    Code("0", "未知的性别"),
    Code("1", "男性", aliases=("男",)),
    Code("2", "女性", aliases=("女",)),
    Code("9", "未说明的性别"),
)))

_ETHNICITIES = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族",
    "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
]
# A sheet may write 汉 for 汉族, but not 土 for 土族 ... every name without its 族 is unambiguous.
ETHNICITY = register(Table("ethnicity", "民族", "GB/T 3304-1991", tuple(
    [Code(f"{i + 1:02d}", name, aliases=(name.removesuffix("族"),)) for i, name in enumerate(_ETHNICITIES)]
    + [Code("97", "其他"), Code("98", "外国血统中国籍人士", aliases=("外国血统",))]
), width=2))


# GB/T 4658-2006 学历代码: the groups (10, 20, ...) and their detailed codes.
_EDUCATION = {
    ("10", "研究生教育", ("研究生",)): [
        ("11", "博士研究生毕业"), ("12", "博士研究生结业"), ("13", "博士研究生肄业"),
        ("14", "硕士研究生毕业"), ("15", "硕士研究生结业"), ("16", "硕士研究生肄业"),
        ("17", "研究生班毕业"), ("18", "研究生班结业"), ("19", "研究生班肄业")],
    ("20", "大学本科教育", ("大学本科", "本科")): [
        ("21", "大学本科毕业"), ("22", "大学本科结业"), ("23", "大学本科肄业"), ("28", "大学普通班毕业")],
    ("30", "大学专科教育", ("大学专科", "专科", "大专")): [
        ("31", "大学专科毕业"), ("32", "大学专科结业"), ("33", "大学专科肄业")],
    ("40", "中等职业教育", ("中专", "中等专科")): [
        ("41", "中等专科毕业"), ("42", "中等专科结业"), ("43", "中等专科肄业"),
        ("44", "职业高中毕业"), ("45", "职业高中结业"), ("46", "职业高中肄业"),
        ("47", "技工学校毕业"), ("48", "技工学校结业"), ("49", "技工学校肄业")],
    ("60", "普通高级中学教育", ("普通高级中学", "高中")): [
        ("61", "普通高中毕业"), ("62", "普通高中结业"), ("63", "普通高中肄业")],
    ("70", "初级中学教育", ("初级中学", "初中")): [("71", "初中毕业"), ("73", "初中肄业")],
    ("80", "小学教育", ("小学",)): [("81", "小学毕业"), ("83", "小学肄业")],
    ("90", "其他", ()): [],
}

# Spellings of the education levels on member sheets and other systems' drop-downs. A level
# without its completion (本科, 大专) is the group, as the group labels' aliases above; a
# "...毕业" spelling is the detailed code. 博士/硕士 name the level only, but a roster that writes
# them means the graduates (结业 and 肄业 are always written out).
_EDUCATION_ALIASES = {
    "10": ("研究生毕业",),
    "11": ("博士研究生", "博士", "博士毕业"),
    "14": ("硕士研究生", "硕士", "硕士毕业"),
    "21": ("大学毕业", "本科毕业"),
    "31": ("专科毕业", "大专毕业"),
    "40": ("技工学校", "技校", "职业高中", "职高", "中技"),
    "41": ("中专毕业",),
    "44": ("职高毕业",),
    "47": ("技校毕业",),
    "61": ("高中毕业",),
    "90": ("文盲", "半文盲"),
}
EDUCATION = register(Table("education", "学历", "GB/T 4658-2006", tuple(
    code
    for (group, label, aliases), details in _EDUCATION.items()
    for code in [Code(group, label, aliases=aliases + _EDUCATION_ALIASES.get(group, ()))]
    + [Code(c, name, parent=group, aliases=_EDUCATION_ALIASES.get(c, ())) for c, name in details]
), width=2))

# 政治面貌 (GB/T 4762, all 13), the parties also by their bare names as sheets write them; and
# 民主党派 without the party, ours: the 困难职工档案 short list has it, and so had our own code 04
# before issue 17 (GB/T 4762's 04 is 民革). The standard cannot say it, so the records that do not
# name the party keep this code until the clerk picks the party.
POLITICAL_PARTY_UNSPECIFIED = "X1"
POLITICAL = register(Table("political", "政治面貌", "GB/T 4762-1984", (
    Code("01", "中国共产党党员", aliases=("中共党员", "党员", "共产党员", "正式党员")),
    Code("02", "中国共产党预备党员", aliases=("中共预备党员", "预备党员")),
    Code("03", "中国共产主义青年团团员", aliases=("共青团员", "团员")),
    Code("04", "中国国民党革命委员会会员", aliases=("民革会员", "民革党员", "民革")),
    Code("05", "中国民主同盟盟员", aliases=("民盟盟员", "民盟")),
    Code("06", "中国民主建国会会员", aliases=("民建会员", "民建")),
    Code("07", "中国民主促进会会员", aliases=("民进会员", "民进")),
    Code("08", "中国农工民主党党员", aliases=("农工党党员", "农工党员", "农工党", "农工民主党")),
    Code("09", "中国致公党党员", aliases=("致公党党员", "致公党")),
    Code("10", "九三学社社员", aliases=("九三学社",)),
    Code("11", "台湾民主自治同盟盟员", aliases=("台盟盟员", "台盟")),
    Code("12", "无党派民主人士", aliases=("无党派人士", "无党派")),
    Code("13", "群众", aliases=("普通群众",)),
    Code(POLITICAL_PARTY_UNSPECIFIED, "民主党派（未注明党派）", aliases=("民主党派", "民主党派成员"), extension=True),
), width=2))


@dataclass(frozen=True)
class HukouCode(Code):
    # 农业 (rural) registration: the half of DOMAIN's 农民工 rule that the registration gives.
    rural: bool = False


# 户口类别 (GA 324.1-2001, table C.3), the list the 全总 and 人社 forms and the education and
# public-security systems use. Forms with two values (城镇/农村, 非农业/农业) do not say whether the
# household is a family or a collective one: they mean the family households (the usual case),
# 集体户口 alone the non-agricultural collective one (students, staff dormitories).
# 自理口粮户口 (people from the country settled in market towns, 1984) were counted as
# 非农业人口, so it is not rural. 寄住, 暂住 and 未落常住 say nothing of the registration's kind.
# Misspellings seen in official drop-down lists and messages: 寄住人口, 暂住人口, 赞助户口.
HUKOU = register(Table("hukou", "户口类型", "GA 324.1-2001", (
    HukouCode("0", "未落常住户口"),
    HukouCode("1", "非农业家庭户口", aliases=(
        "非农业", "非农业户口", "非农户口", "非农", "城镇", "城镇户口", "城镇户籍", "城市户口", "城镇居民户口",
        "城镇家庭户口", "农转居", "地方城镇居民户口")),
    HukouCode("2", "农业家庭户口", aliases=(
        "农业", "农业户口", "农村", "农村户口", "农村户籍", "农村居民户口", "农村家庭户口"), rural=True),
    HukouCode("3", "非农业集体户口", aliases=("集体户口", "集体户", "城镇集体户口")),
    HukouCode("4", "农业集体户口", aliases=("农村集体户口",), rural=True),
    HukouCode("5", "自理口粮户口"),
    HukouCode("6", "寄住户口", aliases=("寄住人口",)),
    HukouCode("7", "暂住户口", aliases=("暂住人口", "赞助户口")),
    HukouCode("8", "其他户口", aliases=("其他",)),
    # Since the 2014 reform many places register every household as 居民户口, which no longer says
    # 农业 or 非农业: ours, not rural (the sheet's 是否农民工 column, where present, says the rest).
    HukouCode("X1", "居民户口（未区分农业、非农业）", aliases=("居民户口", "居民家庭户口", "统一居民户口"),
              extension=True),
)))


def is_rural(code: str) -> bool:
    """Whether a 户口类型 code is a rural (农业) registration."""
    entry = HUKOU.by_code.get(code)
    return bool(getattr(entry, "rural", False))


# 就业状况: the nine values of the 全总 member information (1 在岗 … 9 其他, the codes the member
# systems use) and 灵活就业, ours: DOMAIN's 农民工 rule counts flexible workers (新就业形态) with
# those 在岗. Our spellings before issue 17 (下(待)岗, 失(无)业, 内退) are aliases.
EMPLOYMENT_FLEXIBLE = "X1"
EMPLOYMENT = register(Table("employment", "就业状况", "全总会员信息就业状况代码", (
    Code("1", "在岗", aliases=("在职", "在岗职工", "在业")),
    Code("2", "待（下）岗", aliases=("下(待)岗", "下岗", "待岗", "下岗待岗", "待岗下岗", "下岗(待岗)")),
    Code("3", "失业", aliases=("失(无)业", "无业", "待业", "失业(无业)")),
    Code("4", "退休", aliases=("已退休", "退休职工")),
    Code("5", "离休", aliases=("离休干部",)),
    Code("6", "退职"),
    Code("7", "退养（内退）", aliases=("内退", "退养", "内部退养", "内退(退养)")),
    Code("8", "病休", aliases=("病假", "长病假", "长期病休")),
    Code("9", "其他"),
    Code(EMPLOYMENT_FLEXIBLE, "灵活就业", aliases=("灵活就业人员", "新就业形态", "新就业形态劳动者"),
         extension=True),
)))
