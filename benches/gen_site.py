#!/usr/bin/env python3
"""Generate a synthetic multilingual government portal for benchmarking Tre against Zola.

Usage:
    python3 benches/gen_site.py --articles N --seed S --out DIR [--force]
                                [--highlight-theme NAME]

The site uses only what the Zola 0.22.1 documentation describes (config keys, front matter,
template variables and functions), so `zola build` and `tre build` both accept it.

Languages: vi (default), en, zh-Hans, tyz (Tay), hnj (Hmong Njua).
Every article exists in vi; en ~90 %, zh-Hans ~70 %, tyz ~20 %, hnj ~20 %.

Output is a pure function of (--articles, --seed, --highlight-theme): the same arguments give
a byte-identical tree. Each article draws from its own RNG seeded by (seed, article index,
language), so the article texts and titles do not depend on N. The dates, taxonomy terms and
links do: they depend on the sequence before them and on which articles exist.
Only the standard library is used (Python 3.11+).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import struct
import sys
import unicodedata
import zlib
from pathlib import Path

GENERATOR_VERSION = 1

# --------------------------------------------------------------------------------------------
# Languages and sections
# --------------------------------------------------------------------------------------------

LANGS = ["vi", "en", "zh-Hans", "tyz", "hnj"]
DEFAULT_LANG = "vi"
# Probability that an article has a translation in that language (vi is always present).
TRANSLATION_RATE = {"en": 0.90, "zh-Hans": 0.70, "tyz": 0.20, "hnj": 0.20}

LANG_NAMES = {
    "vi": "Tiếng Việt",
    "en": "English",
    "zh-Hans": "简体中文",
    "tyz": "Tày",
    "hnj": "Hmoob Ntsuab",
}

SITE_TITLE = {
    "vi": "Cổng Thông tin đối ngoại",
    "en": "External Information Portal",
    "zh-Hans": "对外信息门户网站",
    "tyz": "Cổng thông tin đối ngoại (Tày)",
    "hnj": "Lub vev xaib xov xwm txawv teb chaws",
}

SITE_DESCRIPTION = {
    "vi": "Thông tin chính thức về kinh tế, văn hóa, du lịch và đầu tư của Việt Nam.",
    "en": "Official information on Vietnam's economy, culture, tourism and investment.",
    "zh-Hans": "关于越南经济、文化、旅游和投资的官方信息。",
    "tyz": "Thông tin chính thức vằn nay mà bản mường.",
    "hnj": "Cov xov xwm tseem ceeb txog kev lag luam, kab lis kev cai thiab kev ncig tebchaws.",
}

# (slug, {lang: title})
SECTIONS = [
    ("tin-tuc", {"vi": "Tin tức", "en": "News", "zh-Hans": "新闻", "tyz": "Tin tức",
                 "hnj": "Xov xwm"}),
    ("ngoai-giao", {"vi": "Chính trị - Ngoại giao", "en": "Politics and Diplomacy",
                    "zh-Hans": "政治外交", "tyz": "Chính trị - Ngoại giao",
                    "hnj": "Kev nom kev tswv"}),
    ("dau-tu", {"vi": "Đầu tư", "en": "Investment", "zh-Hans": "投资", "tyz": "Đầu tư",
                "hnj": "Kev nqis peev"}),
    ("du-lich", {"vi": "Du lịch", "en": "Tourism", "zh-Hans": "旅游", "tyz": "Du lịch",
                 "hnj": "Kev ncig tebchaws"}),
    ("van-hoa", {"vi": "Văn hóa", "en": "Culture", "zh-Hans": "文化", "tyz": "Văn hóa",
                 "hnj": "Kab lis kev cai"}),
    ("lich-su", {"vi": "Lịch sử", "en": "History", "zh-Hans": "历史", "tyz": "Lịch sử",
                 "hnj": "Keeb kwm"}),
    ("giao-duc", {"vi": "Giáo dục", "en": "Education", "zh-Hans": "教育", "tyz": "Giáo dục",
                  "hnj": "Kev kawm ntawv"}),
    ("y-te", {"vi": "Y tế", "en": "Health", "zh-Hans": "卫生", "tyz": "Y tế",
              "hnj": "Kev noj qab haus huv"}),
]
SECTION_WEIGHTS = [22, 12, 14, 16, 12, 8, 8, 8]

# UI strings, read in templates with trans(key=..., lang=lang).
UI = {
    "home": {"vi": "Trang chủ", "en": "Home", "zh-Hans": "首页", "tyz": "Trang chủ",
             "hnj": "Nplooj tsev"},
    "read_more": {"vi": "Xem tiếp", "en": "Read more", "zh-Hans": "阅读全文", "tyz": "Đọc tiếp",
                  "hnj": "Nyeem ntxiv"},
    "tags": {"vi": "Từ khóa", "en": "Tags", "zh-Hans": "标签", "tyz": "Từ khóa",
             "hnj": "Cov lus tseem ceeb"},
    "categories": {"vi": "Chuyên mục", "en": "Categories", "zh-Hans": "栏目", "tyz": "Chuyên mục",
                   "hnj": "Pawg"},
    "published": {"vi": "Đăng ngày", "en": "Published", "zh-Hans": "发布日期", "tyz": "Đăng vằn",
                  "hnj": "Luam tawm"},
    "reading_time": {"vi": "phút đọc", "en": "min read", "zh-Hans": "分钟阅读",
                     "tyz": "phút đọc", "hnj": "feeb nyeem"},
    "translations": {"vi": "Ngôn ngữ khác", "en": "Other languages", "zh-Hans": "其他语言",
                     "tyz": "Phjối khác", "hnj": "Lwm yam lus"},
    "toc": {"vi": "Mục lục", "en": "Contents", "zh-Hans": "目录", "tyz": "Mục lục",
            "hnj": "Cov ntsiab lus"},
    "previous": {"vi": "Trang trước", "en": "Previous", "zh-Hans": "上一页", "tyz": "Trang trước",
                 "hnj": "Nplooj dhau los"},
    "next": {"vi": "Trang sau", "en": "Next", "zh-Hans": "下一页", "tyz": "Trang sau",
             "hnj": "Nplooj tom ntej"},
    "page": {"vi": "Trang", "en": "Page", "zh-Hans": "页", "tyz": "Trang", "hnj": "Nplooj"},
    "older": {"vi": "Bài cũ hơn", "en": "Older article", "zh-Hans": "较早文章",
              "tyz": "Bài cũ", "hnj": "Tsab qub"},
    "newer": {"vi": "Bài mới hơn", "en": "Newer article", "zh-Hans": "较新文章",
              "tyz": "Bài mới", "hnj": "Tsab tshiab"},
    "latest": {"vi": "Tin mới nhất", "en": "Latest", "zh-Hans": "最新消息", "tyz": "Tin mới",
               "hnj": "Xov xwm tshiab"},
    "articles": {"vi": "bài viết", "en": "articles", "zh-Hans": "篇文章", "tyz": "bài",
                 "hnj": "tsab"},
    "footer": {"vi": "Bản quyền thuộc Bộ Ngoại giao", "en": "Copyright Ministry of Foreign Affairs",
               "zh-Hans": "外交部版权所有", "tyz": "Bản quyền thuộc Bộ Ngoại giao",
               "hnj": "Txoj cai luam tawm yog Ministry of Foreign Affairs"},
}
for _slug, _names in SECTIONS:
    UI["section_" + _slug.replace("-", "_")] = dict(_names)

# Taxonomy concepts: (vi, en, zh). tyz and hnj pages use the Vietnamese term, as minority-language
# pages on Vietnamese portals usually do.
TAG_TOPICS = [
    ("chuyển đổi số", "digital transformation", "数字化转型"),
    ("kinh tế biển", "marine economy", "海洋经济"),
    ("hợp tác quốc tế", "international cooperation", "国际合作"),
    ("đầu tư nước ngoài", "foreign investment", "外国投资"),
    ("du lịch bền vững", "sustainable tourism", "可持续旅游"),
    ("di sản văn hóa", "cultural heritage", "文化遗产"),
    ("lễ hội truyền thống", "traditional festivals", "传统节日"),
    ("nông nghiệp công nghệ cao", "high-tech agriculture", "高科技农业"),
    ("khu công nghiệp", "industrial parks", "工业园区"),
    ("hạ tầng giao thông", "transport infrastructure", "交通基础设施"),
    ("năng lượng tái tạo", "renewable energy", "可再生能源"),
    ("biến đổi khí hậu", "climate change", "气候变化"),
    ("cải cách hành chính", "administrative reform", "行政改革"),
    ("dịch vụ công trực tuyến", "online public services", "在线公共服务"),
    ("người Việt Nam ở nước ngoài", "overseas Vietnamese", "海外越南人"),
    ("ASEAN", "ASEAN", "东盟"),
    ("xúc tiến thương mại", "trade promotion", "贸易促进"),
    ("xuất khẩu", "exports", "出口"),
    ("khởi nghiệp", "start-ups", "创业"),
    ("giáo dục đại học", "higher education", "高等教育"),
    ("y tế cơ sở", "primary health care", "基层医疗"),
    ("dân tộc thiểu số", "ethnic minorities", "少数民族"),
    ("ẩm thực", "cuisine", "美食"),
    ("làng nghề", "craft villages", "手工艺村"),
    ("di tích lịch sử", "historical relics", "历史遗迹"),
    ("bảo tàng", "museums", "博物馆"),
    ("thể thao", "sports", "体育"),
    ("môi trường", "environment", "环境"),
    ("an sinh xã hội", "social security", "社会保障"),
    ("phát triển nông thôn", "rural development", "农村发展"),
    ("logistics", "logistics", "物流"),
    ("thương mại điện tử", "e-commerce", "电子商务"),
    ("ngoại giao kinh tế", "economic diplomacy", "经济外交"),
    ("ngoại giao văn hóa", "cultural diplomacy", "文化外交"),
    ("hội nghị quốc tế", "international conferences", "国际会议"),
    ("biên giới", "borders", "边境"),
    ("quốc phòng", "national defence", "国防"),
    ("nhân quyền", "human rights", "人权"),
    ("bình đẳng giới", "gender equality", "性别平等"),
    ("thanh niên", "youth", "青年"),
]
TAG_PLACES = [
    ("Hà Nội", "Hanoi", "河内"),
    ("Thành phố Hồ Chí Minh", "Ho Chi Minh City", "胡志明市"),
    ("Đà Nẵng", "Da Nang", "岘港"),
    ("Hải Phòng", "Hai Phong", "海防"),
    ("Cần Thơ", "Can Tho", "芹苴"),
    ("Huế", "Hue", "顺化"),
    ("Quảng Ninh", "Quang Ninh", "广宁"),
    ("Lào Cai", "Lao Cai", "老街"),
    ("Hà Giang", "Ha Giang", "河江"),
    ("Cao Bằng", "Cao Bang", "高平"),
    ("Lạng Sơn", "Lang Son", "谅山"),
    ("Điện Biên", "Dien Bien", "奠边"),
    ("Nghệ An", "Nghe An", "义安"),
    ("Quảng Nam", "Quang Nam", "广南"),
    ("Khánh Hòa", "Khanh Hoa", "庆和"),
    ("Lâm Đồng", "Lam Dong", "林同"),
    ("Đắk Lắk", "Dak Lak", "多乐"),
    ("Kiên Giang", "Kien Giang", "坚江"),
    ("Bình Dương", "Binh Duong", "平阳"),
    ("Đồng Nai", "Dong Nai", "同奈"),
]
# Category per section (same order as SECTIONS), plus cross-cutting ones.
CATEGORIES_BY_SECTION = [
    ("Thời sự", "Current affairs", "时事"),
    ("Quan hệ quốc tế", "International relations", "国际关系"),
    ("Kinh tế - Đầu tư", "Economy and investment", "经济投资"),
    ("Điểm đến", "Destinations", "旅游目的地"),
    ("Văn hóa - Nghệ thuật", "Culture and arts", "文化艺术"),
    ("Tư liệu lịch sử", "Historical documents", "历史资料"),
    ("Giáo dục - Đào tạo", "Education and training", "教育培训"),
    ("Sức khỏe cộng đồng", "Public health", "公共卫生"),
]
CATEGORIES_EXTRA = [
    ("Thông cáo báo chí", "Press releases", "新闻公报"),
    ("Sự kiện nổi bật", "Highlights", "重要活动"),
    ("Phỏng vấn", "Interviews", "访谈"),
    ("Văn bản chỉ đạo", "Official documents", "指导文件"),
]


def term_in(concept: tuple[str, str, str], lang: str) -> str:
    if lang == "en":
        return concept[1]
    if lang == "zh-Hans":
        return concept[2]
    return concept[0]


# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

VI_SUBJECTS = [
    "Ủy ban nhân dân tỉnh", "Sở Văn hóa, Thể thao và Du lịch", "Bộ Ngoại giao", "Chính phủ",
    "các doanh nghiệp trong nước", "người dân địa phương", "Ban quản lý khu kinh tế",
    "Hội đồng nhân dân thành phố", "nhiều nhà đầu tư nước ngoài", "các chuyên gia kinh tế",
    "đoàn công tác của tỉnh", "Sở Kế hoạch và Đầu tư", "Trung tâm Xúc tiến Thương mại",
    "cộng đồng các dân tộc thiểu số", "ngành giáo dục", "ngành y tế", "Đại sứ quán Việt Nam",
    "lãnh đạo thành phố", "các trường đại học", "Hiệp hội Du lịch", "chính quyền các cấp",
    "bà con kiều bào", "Ban tổ chức lễ hội", "các hợp tác xã", "Thủ tướng Chính phủ",
    "Sở Ngoại vụ", "các nhà khoa học", "thanh niên tình nguyện", "Bảo tàng Lịch sử Quốc gia",
    "Tổng lãnh sự quán",
]
VI_VERBS = [
    "đã triển khai", "tiếp tục đẩy mạnh", "đang xây dựng", "vừa công bố", "đã tổ chức",
    "cam kết hỗ trợ", "tích cực thúc đẩy", "đề xuất điều chỉnh", "đã hoàn thành", "không ngừng nâng cao",
    "đã ký kết", "tiến hành khảo sát", "phối hợp thực hiện", "đánh giá cao", "chú trọng bảo tồn",
    "tăng cường quảng bá", "đã phê duyệt", "khẩn trương rà soát", "mở rộng", "chủ động đón nhận",
    "giới thiệu", "kêu gọi đầu tư vào", "tổng kết", "hướng dẫn triển khai", "đặc biệt quan tâm đến",
]
VI_OBJECTS = [
    "kế hoạch phát triển du lịch bền vững", "chương trình chuyển đổi số", "dự án hạ tầng giao thông",
    "các lễ hội truyền thống", "di sản văn hóa phi vật thể", "môi trường đầu tư kinh doanh",
    "chất lượng dịch vụ công trực tuyến", "quan hệ hợp tác hữu nghị", "nguồn nhân lực chất lượng cao",
    "sản phẩm nông nghiệp đặc trưng", "hệ thống y tế cơ sở", "các khu công nghiệp mới",
    "chính sách ưu đãi đầu tư", "giá trị lịch sử của di tích", "đời sống vật chất và tinh thần của nhân dân",
    "nghề thủ công truyền thống", "mạng lưới trường học vùng cao", "tiềm năng kinh tế biển",
    "các tuyến du lịch cộng đồng", "hồ sơ đề nghị công nhận di sản", "thủ tục hành chính liên thông",
    "năng lực cạnh tranh cấp tỉnh", "bản sắc văn hóa dân tộc", "chương trình giao lưu nhân dân",
    "các điểm đến hấp dẫn", "chiến lược phát triển năng lượng sạch", "cơ sở dữ liệu dân cư",
    "công tác bảo vệ môi trường", "hoạt động xúc tiến thương mại", "mô hình kinh tế tuần hoàn",
]
VI_ADVERBIALS = [
    "trong năm nay", "tại thành phố Hà Nội", "theo đúng lộ trình đề ra",
    "nhằm thu hút khách du lịch quốc tế", "với sự tham gia của đông đảo người dân",
    "trong thời gian tới", "trên địa bàn tỉnh", "ở vùng sâu, vùng xa", "từ đầu năm đến nay",
    "một cách hiệu quả", "trong giai đoạn 2021-2025", "tại các huyện miền núi",
    "theo tinh thần chỉ đạo của Chính phủ", "góp phần nâng cao vị thế quốc gia",
    "bất chấp nhiều khó khăn", "dưới sự chủ trì của lãnh đạo tỉnh", "ở cả ba miền Bắc, Trung, Nam",
    "trên tinh thần đối tác tin cậy", "bằng nhiều hình thức phong phú", "ngay trong quý tới",
]
VI_CONNECTORS = [
    "Bên cạnh đó,", "Ngoài ra,", "Theo báo cáo,", "Đáng chú ý,", "Cụ thể,", "Trước đó,",
    "Đồng thời,", "Tuy nhiên,", "Nhờ vậy,", "Phát biểu tại buổi làm việc,",
]
VI_HEADINGS = [
    "Bối cảnh chung", "Kết quả nổi bật", "Những thách thức đặt ra", "Định hướng thời gian tới",
    "Ý kiến của chuyên gia", "Số liệu thống kê", "Kinh nghiệm từ địa phương", "Giải pháp trọng tâm",
    "Tiềm năng và lợi thế", "Hợp tác quốc tế", "Vai trò của cộng đồng", "Thông tin liên hệ",
    "Lịch trình tham quan", "Giá trị văn hóa đặc sắc", "Chính sách hỗ trợ",
]
VI_TABLE_HEAD = ["Chỉ tiêu", "Năm trước", "Năm nay", "Tăng trưởng"]
VI_TABLE_ROWS = [
    "Lượt khách quốc tế", "Vốn đầu tư đăng ký", "Kim ngạch xuất khẩu", "Số dự án mới",
    "Doanh thu du lịch", "Số học sinh", "Số trạm y tế", "Số thủ tục trực tuyến",
]
VI_SEE_ALSO = ["Xem thêm", "Tin liên quan", "Đọc thêm"]
VI_IMAGE_ALT = "Ảnh minh họa"

EN_SUBJECTS = [
    "The provincial People's Committee", "The Ministry of Foreign Affairs", "The Government",
    "Local businesses", "Residents of the city", "The economic zone authority", "Foreign investors",
    "Economists", "The provincial delegation", "The Department of Planning and Investment",
    "The Trade Promotion Centre", "Ethnic minority communities", "The education sector",
    "The health sector", "The Vietnamese Embassy", "City leaders", "Universities",
    "The Tourism Association", "Authorities at all levels", "Overseas Vietnamese",
    "The festival organisers", "Cooperatives", "The Prime Minister", "Scientists",
]
EN_VERBS = [
    "has launched", "continues to promote", "is building", "has announced", "organised",
    "pledged to support", "is actively pushing", "proposed changes to", "has completed",
    "keeps improving", "signed", "surveyed", "is jointly implementing", "praised",
    "focuses on preserving", "is promoting", "approved", "is reviewing", "expanded",
    "welcomed", "introduced", "called for investment in", "reviewed", "paid special attention to",
]
EN_OBJECTS = [
    "a sustainable tourism development plan", "the digital transformation programme",
    "a transport infrastructure project", "traditional festivals", "intangible cultural heritage",
    "the business and investment climate", "the quality of online public services",
    "friendly cooperation", "a highly skilled workforce", "signature farm products",
    "the grassroots health system", "new industrial parks", "investment incentives",
    "the historical value of the relic site", "the material and spiritual life of the people",
    "traditional handicrafts", "the network of highland schools", "the potential of the marine economy",
    "community-based tourism routes", "the heritage nomination dossier", "inter-agency procedures",
    "provincial competitiveness", "ethnic cultural identity", "people-to-people exchanges",
    "attractive destinations", "the clean energy strategy", "the population database",
    "environmental protection", "trade promotion activities", "circular economy models",
]
EN_ADVERBIALS = [
    "this year", "in Hanoi", "on schedule", "to attract international visitors",
    "with broad public participation", "in the coming period", "across the province",
    "in remote areas", "since the beginning of the year", "effectively", "in the 2021-2025 period",
    "in mountainous districts", "in line with Government guidance",
    "raising the country's profile", "despite many difficulties", "under the chair of provincial leaders",
    "in all three regions", "as trusted partners", "in many different ways", "next quarter",
]
EN_CONNECTORS = [
    "In addition,", "Moreover,", "According to the report,", "Notably,", "Specifically,",
    "Earlier,", "At the same time,", "However,", "As a result,", "Speaking at the meeting,",
]
EN_HEADINGS = [
    "Background", "Key results", "Challenges ahead", "Next steps", "Expert views", "Statistics",
    "Local experience", "Priority measures", "Potential and strengths", "International cooperation",
    "The role of communities", "Contact information", "Itinerary", "Cultural highlights",
    "Support policies",
]
EN_TABLE_HEAD = ["Indicator", "Last year", "This year", "Growth"]
EN_TABLE_ROWS = [
    "International arrivals", "Registered investment", "Export turnover", "New projects",
    "Tourism revenue", "Pupils", "Health stations", "Online procedures",
]
EN_SEE_ALSO = ["See also", "Related", "Further reading"]
EN_IMAGE_ALT = "Illustration"

ZH_SUBJECTS = [
    "省人民委员会", "外交部", "政府", "国内企业", "当地居民", "经济区管理委员会", "外国投资者",
    "经济专家", "省代表团", "计划投资厅", "贸易促进中心", "少数民族社区", "教育部门", "卫生部门",
    "越南大使馆", "市领导", "各大学", "旅游协会", "各级政府", "海外越南人", "节日组委会",
    "合作社", "政府总理", "科学家们",
]
ZH_VERBS = [
    "已经实施", "继续推动", "正在建设", "刚刚公布", "举办了", "承诺支持", "积极推进", "建议调整",
    "已完成", "不断提高", "签署了", "开展调查", "协同落实", "高度评价", "注重保护", "加强宣传",
    "批准了", "抓紧审查", "扩大", "热烈欢迎", "介绍了", "呼吁投资", "总结了", "特别关注",
]
ZH_OBJECTS = [
    "可持续旅游发展计划", "数字化转型项目", "交通基础设施项目", "传统节日", "非物质文化遗产",
    "投资经营环境", "在线公共服务质量", "友好合作关系", "高素质人力资源", "特色农产品",
    "基层医疗体系", "新的工业园区", "投资优惠政策", "遗迹的历史价值", "人民的物质和精神生活",
    "传统手工艺", "山区学校网络", "海洋经济潜力", "社区旅游线路", "遗产申报材料",
    "行政审批程序", "省级竞争力", "民族文化特色", "民间交流项目", "热门旅游目的地",
    "清洁能源战略", "人口数据库", "环境保护工作", "贸易促进活动", "循环经济模式",
]
ZH_ADVERBIALS = [
    "今年", "在河内", "按照既定路线图", "为吸引国际游客", "在广大民众的参与下", "在今后一段时间",
    "在全省范围内", "在偏远地区", "自年初以来", "有效地", "在2021至2025年期间", "在山区各县",
    "根据政府的指导精神", "提升国家地位", "克服重重困难", "在省领导的主持下", "在北中南三个地区",
    "本着互信伙伴精神", "通过多种形式", "下个季度",
]
ZH_CONNECTORS = ["此外，", "同时，", "据报告，", "值得注意的是，", "具体而言，", "此前，",
                 "然而，", "因此，", "在会议上，"]
ZH_HEADINGS = [
    "总体背景", "主要成果", "面临的挑战", "下一步方向", "专家观点", "统计数据", "地方经验",
    "重点措施", "潜力与优势", "国际合作", "社区的作用", "联系方式", "参观行程", "文化特色",
    "扶持政策",
]
ZH_TABLE_HEAD = ["指标", "去年", "今年", "增长"]
ZH_TABLE_ROWS = ["国际游客人次", "注册投资额", "出口额", "新项目数", "旅游收入", "学生人数",
                 "卫生站数量", "在线办理程序"]
ZH_SEE_ALSO = ["另见", "相关新闻", "延伸阅读"]
ZH_IMAGE_ALT = "示意图"

# Tay (Latin script, Vietnamese-style diacritics). Many modern terms are Vietnamese loans.
TYZ_WORDS = [
    "bản", "mường", "nà", "rườn", "tàng", "phja", "khuổi", "nặm", "khẩu", "mạy", "cần", "lục",
    "pỉ noọng", "slư", "hết", "pây", "mà", "kin", "đây", "lai", "mì", "bấu", "chắc", "slon",
    "hấn", "cạ", "lẻ", "tẻo", "vằn", "bươn", "pi", "slao", "bao", "then", "lượn", "tính",
    "chợ", "ngần", "vài", "mu", "cáy", "pja", "nưng", "song", "slam", "slíp", "hâu", "lầu",
    "mầng", "nọi", "lung", "mới", "kỉ", "nẩy", "hẩu", "tó", "rụ", "khảm", "luây",
    "kinh tế", "văn hóa", "du lịch", "đầu tư", "giáo dục", "y tế", "hợp tác", "phát triển",
]
TYZ_HEADINGS = ["Cốc rẳng", "Slư bản mường", "Hết công", "Pây tàng mới", "Lượn then",
                "Nà khẩu", "Khuổi nặm", "Cần bản"]
TYZ_SEE_ALSO = ["Hấn tẻo", "Slư mì"]

# Hmong Njua / Green Hmong (RPA orthography).
HNJ_WORDS = [
    "koj", "kuv", "peb", "lawv", "tsev", "neeg", "zos", "dej", "mov", "teb", "hnub", "xyoo",
    "hli", "ntawv", "kawm", "ua haujlwm", "tsoomfwv", "lub tebchaws", "kev", "noj", "haus",
    "mus", "los", "zoo", "ntau", "tshiab", "qub", "loj", "me", "thiab", "rau", "hauv", "nrog",
    "muaj", "yog", "tau", "los ntawm", "kev lag luam", "kab lis kev cai", "kev ncig tebchaws",
    "kev nqis peev", "tsev kawm ntawv", "tsev kho mob", "hluas", "laus", "roob", "hav zoov",
    "nplej", "pob kws", "nyuj", "npua", "qaib", "khoom", "nyiaj", "txoj kev", "lub zos",
    "cov menyuam", "niam txiv", "kev sib raug zoo", "xov xwm", "tseem ceeb",
]
HNJ_HEADINGS = ["Keeb kwm", "Cov txiaj ntsig", "Kev pab", "Txoj kev tom ntej", "Cov neeg hauv zos",
                "Kev kawm ntawv", "Kev noj qab haus huv", "Cov lus qhia"]
HNJ_SEE_ALSO = ["Saib ntxiv", "Nyeem ntxiv"]

CODE_SNIPPETS_TOML = [
    '[du_lieu_mo]\nten = "{name}"\nnam = {year}\nso_ban_ghi = {n}\ndinh_dang = ["csv", "json"]\n'
    '\n[lien_he]\ndon_vi = "Sở Thông tin và Truyền thông"\nemail = "opendata@example.gov.vn"\n',
]
CODE_SNIPPETS_JSON = [
    '{{\n  "dataset": "{name}",\n  "year": {year},\n  "records": {n},\n  "formats": ["csv", "json"],\n'
    '  "publisher": {{\n    "name": "Cổng dữ liệu mở",\n    "url": "https://data.example.gov.vn"\n  }}\n}}\n',
]

IMAGES = ["img/anh-minh-hoa.png", "img/banner.png"]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def ascii_slug(s: str) -> str:
    """Vietnamese-aware ASCII slug (đ -> d, strip diacritics)."""
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    out = []
    for ch in s:
        if unicodedata.combining(ch):
            continue
        if ch.isascii() and ch.isalnum():
            out.append(ch.lower())
        else:
            out.append("-")
    slug = "-".join(p for p in "".join(out).split("-") if p)
    return slug


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def png_bytes(width: int, height: int, seed: int) -> bytes:
    """A deterministic RGB gradient PNG."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes(((x * 255 // max(width - 1, 1) + seed) % 256,
                           (y * 255 // max(height - 1, 1)) % 256,
                           (128 + seed * 7) % 256))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


class Writer:
    """Writes files with LF endings and UTF-8, and counts them."""

    def __init__(self, root: Path):
        self.root = root
        self.files = 0
        self.bytes = 0

    def text(self, rel: str, content: str) -> None:
        self.raw(rel, nfc(content).encode("utf-8"))

    def raw(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)


# --------------------------------------------------------------------------------------------
# Text generation per language
# --------------------------------------------------------------------------------------------

class Lang:
    code: str
    sep = " "  # between words
    end = "."
    comma = ","

    def sentence(self, r: random.Random) -> str:
        raise NotImplementedError

    def heading(self, r: random.Random) -> str:
        raise NotImplementedError

    def title(self, r: random.Random) -> str:
        raise NotImplementedError

    def count(self, text: str) -> int:
        return len(text.split())


class Vi(Lang):
    code = "vi"
    subjects, verbs, objects, advs, conns = (VI_SUBJECTS, VI_VERBS, VI_OBJECTS, VI_ADVERBIALS,
                                             VI_CONNECTORS)
    headings = VI_HEADINGS
    table_head, table_rows = VI_TABLE_HEAD, VI_TABLE_ROWS
    see_also, image_alt = VI_SEE_ALSO, VI_IMAGE_ALT

    def sentence(self, r: random.Random) -> str:
        parts = []
        if r.random() < 0.25:
            parts.append(r.choice(self.conns))
        subj = r.choice(self.subjects)
        parts.append(subj if parts else cap(subj))
        parts.append(r.choice(self.verbs))
        parts.append(r.choice(self.objects))
        if r.random() < 0.7:
            parts.append(r.choice(self.advs))
        if r.random() < 0.3:
            parts.append(self.join_word(r) + " " + r.choice(self.objects))
        return " ".join(parts) + self.end

    def join_word(self, r: random.Random) -> str:
        return r.choice(["và", "cùng với", "đồng thời nâng cao", "gắn với"])

    def heading(self, r: random.Random) -> str:
        return r.choice(self.headings)

    def title(self, r: random.Random) -> str:
        t = f"{cap(r.choice(self.subjects))} {r.choice(self.verbs)} {r.choice(self.objects)}"
        if r.random() < 0.4:
            t += " " + r.choice(self.advs)
        return t


class En(Vi):
    code = "en"
    subjects, verbs, objects, advs, conns = (EN_SUBJECTS, EN_VERBS, EN_OBJECTS, EN_ADVERBIALS,
                                             EN_CONNECTORS)
    headings = EN_HEADINGS
    table_head, table_rows = EN_TABLE_HEAD, EN_TABLE_ROWS
    see_also, image_alt = EN_SEE_ALSO, EN_IMAGE_ALT

    def sentence(self, r: random.Random) -> str:
        parts = []
        if r.random() < 0.25:
            parts.append(r.choice(self.conns))
        subj = r.choice(self.subjects)
        parts.append(subj[:1].lower() + subj[1:] if parts else subj)
        parts.append(r.choice(self.verbs))
        parts.append(r.choice(self.objects))
        if r.random() < 0.7:
            parts.append(r.choice(self.advs))
        if r.random() < 0.3:
            parts.append("and " + r.choice(self.objects))
        return " ".join(parts) + "."


class Zh(Vi):
    code = "zh-Hans"
    subjects, verbs, objects, advs, conns = (ZH_SUBJECTS, ZH_VERBS, ZH_OBJECTS, ZH_ADVERBIALS,
                                             ZH_CONNECTORS)
    headings = ZH_HEADINGS
    table_head, table_rows = ZH_TABLE_HEAD, ZH_TABLE_ROWS
    see_also, image_alt = ZH_SEE_ALSO, ZH_IMAGE_ALT

    def sentence(self, r: random.Random) -> str:
        s = ""
        if r.random() < 0.25:
            s += r.choice(self.conns)
        s += r.choice(self.subjects)
        if r.random() < 0.7:
            s += r.choice(self.advs)
        s += r.choice(self.verbs) + r.choice(self.objects)
        if r.random() < 0.3:
            s += "和" + r.choice(self.objects)
        return s + "。"

    def title(self, r: random.Random) -> str:
        return r.choice(self.subjects) + r.choice(self.verbs) + r.choice(self.objects)

    def count(self, text: str) -> int:
        # About one "word" per 2 CJK characters.
        return max(1, len(text) // 2)


class WordSoup(Vi):
    """Languages for which we only have a word list: sentences are 6-16 words."""

    words: list[str] = []
    see_also = ["See also"]

    def sentence(self, r: random.Random) -> str:
        n = r.randint(6, 16)
        ws = [r.choice(self.words) for _ in range(n)]
        if n > 9 and r.random() < 0.5:
            ws[n // 2] += ","
        return cap(" ".join(ws)) + "."

    def title(self, r: random.Random) -> str:
        return cap(" ".join(r.choice(self.words) for _ in range(r.randint(4, 9))))


class Tyz(WordSoup):
    code = "tyz"
    words = TYZ_WORDS
    headings = TYZ_HEADINGS
    table_head, table_rows = VI_TABLE_HEAD, VI_TABLE_ROWS
    see_also, image_alt = TYZ_SEE_ALSO, VI_IMAGE_ALT


class Hnj(WordSoup):
    code = "hnj"
    words = HNJ_WORDS
    headings = HNJ_HEADINGS
    table_head = ["Yam", "Xyoo dhau los", "Xyoo no", "Nce"]
    table_rows = ["Cov neeg ncig tebchaws", "Kev nqis peev", "Khoom xa tawm", "Cov haujlwm tshiab",
                  "Cov tub ntxhais kawm ntawv", "Tsev kho mob"]
    see_also, image_alt = HNJ_SEE_ALSO, "Duab"


LANG_GEN: dict[str, Lang] = {"vi": Vi(), "en": En(), "zh-Hans": Zh(), "tyz": Tyz(), "hnj": Hnj()}


# --------------------------------------------------------------------------------------------
# Site model
# --------------------------------------------------------------------------------------------

class Article:
    __slots__ = ("idx", "section", "slug", "date", "langs", "tags", "cats", "image", "has_code")

    def __init__(self, idx, section, slug, date, langs, tags, cats, image, has_code):
        self.idx = idx
        self.section = section
        self.slug = slug
        self.date = date
        self.langs = langs
        self.tags = tags
        self.cats = cats
        self.image = image
        self.has_code = has_code


def zipf_choice(r: random.Random, n: int, s: float = 1.0) -> int:
    weights = [1.0 / (k + 1) ** s for k in range(n)]
    return r.choices(range(n), weights=weights)[0]


def plan_site(n: int, seed: int) -> list[Article]:
    r = random.Random(f"plan:{seed}")
    start = dt.datetime(2019, 1, 1, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    # Spread articles over ~6 years whatever N is; strictly increasing, so dates are unique.
    span_minutes = 6 * 365 * 24 * 60
    step = max(2, span_minutes // max(n, 1))
    t = start
    articles = []
    for i in range(n):
        t = t + dt.timedelta(minutes=r.randint(1, 2 * step - 1))
        sec = r.choices(range(len(SECTIONS)), weights=SECTION_WEIGHTS)[0]
        langs = ["vi"] + [lang for lang in LANGS[1:] if r.random() < TRANSLATION_RATE[lang]]
        ntags = r.randint(2, 5)
        tags: list[int] = []
        while len(tags) < ntags:
            k = zipf_choice(r, len(TAG_TOPICS), 0.8)
            if k not in tags:
                tags.append(k)
        places = [zipf_choice(r, len(TAG_PLACES), 0.9)] if r.random() < 0.6 else []
        cats = [("s", sec)]
        if r.random() < 0.3:
            cats.append(("x", r.randrange(len(CATEGORIES_EXTRA))))
        image = IMAGES[r.randrange(len(IMAGES))]
        has_code = r.random() < 0.2
        title_vi = LANG_GEN["vi"].title(random.Random(f"{seed}:{i}:vi:title"))
        words = ascii_slug(title_vi).split("-")[:8]
        slug = "-".join(words) + f"-{i + 1}"
        articles.append(Article(i, sec, slug, t, langs, (tags, places), cats, image, has_code))
    return articles


def article_markdown(a: Article, lang: str, seed: int, link_pool: dict[str, list[Article]],
                     r_links: random.Random) -> str:
    g = LANG_GEN[lang]
    r = random.Random(f"{seed}:{a.idx}:{lang}")
    title = g.title(random.Random(f"{seed}:{a.idx}:{lang}:title"))
    target_words = r.randint(350, 1050)

    topics, places = a.tags
    tags = [term_in(TAG_TOPICS[k], lang) for k in topics] + [term_in(TAG_PLACES[k], lang)
                                                             for k in places]
    cats = [term_in(CATEGORIES_BY_SECTION[k] if kind == "s" else CATEGORIES_EXTRA[k], lang)
            for kind, k in a.cats]

    # Internal links to other articles that exist in this language.
    pool = link_pool[lang]
    links = []
    nlinks = r_links.randint(2, 3)
    if len(pool) > 1:
        tries = 0
        while len(links) < nlinks and tries < 20:
            tries += 1
            other = pool[r_links.randrange(len(pool))]
            if other.idx != a.idx and other not in links:
                links.append(other)
    link_md = []
    for other in links:
        suffix = "" if lang == DEFAULT_LANG else f".{lang}"
        other_title = g.title(random.Random(f"{seed}:{other.idx}:{lang}:title"))
        link_md.append(f"[{other_title}](@/{SECTIONS[other.section][0]}/{other.slug}{suffix}.md)")

    def paragraph(nsent: int) -> str:
        return g.sep.join(g.sentence(r) for _ in range(nsent)) if g.code != "zh-Hans" else \
            "".join(g.sentence(r) for _ in range(nsent))

    blocks: list[str] = []
    words = 0

    def add(block: str) -> None:
        nonlocal words
        blocks.append(block)
        words += g.count(block)

    lead = paragraph(r.randint(2, 3))
    description = g.sentence(random.Random(f"{seed}:{a.idx}:{lang}:desc"))
    add(lead)
    blocks.append("<!-- more -->")
    add(paragraph(r.randint(3, 5)))
    add(f"![{g.image_alt}](/{a.image})")

    extras = ["list", "table", "links", "quote"] + (["code"] if a.has_code else [])
    r.shuffle(extras)

    def add_extra(kind: str) -> None:
        nonlocal link_md
        if kind == "list":
            items = [g.sentence(r).rstrip(".。") for _ in range(r.randint(3, 6))]
            if r.random() < 0.5:
                add("\n".join(f"- {it}" for it in items))
            else:
                add("\n".join(f"{n + 1}. {it}" for n, it in enumerate(items)))
        elif kind == "table":
            head = g.table_head
            rows = r.sample(g.table_rows, k=min(len(g.table_rows), r.randint(3, 5)))
            lines = ["| " + " | ".join(head) + " |",
                     "|" + "|".join([":---"] + ["---:"] * (len(head) - 1)) + "|"]
            for row in rows:
                prev = r.randint(100, 99999)
                cur = prev + r.randint(-prev // 5, prev // 3)
                growth = (cur - prev) * 100 / prev
                lines.append(f"| {row} | {prev:,} | {cur:,} | {growth:+.1f}% |")
            add("\n".join(lines))
        elif kind == "links" and link_md:
            label = r.choice(g.see_also)
            add(f"**{label}:**\n\n" + "\n".join(f"- {m}" for m in link_md))
            link_md = []
        elif kind == "quote":
            add("> " + g.sentence(r))
        elif kind == "code":
            year = 2019 + r.randrange(6)
            name = ascii_slug(title)[:40]
            n = r.randint(100, 50000)
            if r.random() < 0.5:
                add("```toml\n" + CODE_SNIPPETS_TOML[0].format(name=name, year=year, n=n) + "```")
            else:
                add("```json\n" + CODE_SNIPPETS_JSON[0].format(name=name, year=year, n=n) + "```")

    # h2 sections (some with an h3) until the target length; one extra block per section,
    # and whatever extras are left go at the end of the last section.
    while words < target_words:
        add(f"## {g.heading(r)}")
        add(paragraph(r.randint(2, 5)))
        if words < target_words and r.random() < 0.5:
            add(f"### {g.heading(r)}")
            add(paragraph(r.randint(2, 4)))
        if extras:
            add_extra(extras.pop())
    while extras:
        add_extra(extras.pop())
    if link_md:  # links block was skipped because there were no candidates at that point
        label = r.choice(g.see_also)
        add(f"**{label}:**\n\n" + "\n".join(f"- {m}" for m in link_md))

    fm = [
        "+++",
        f"title = {toml_str(title)}",
        f"description = {toml_str(description)}",
        f"date = {a.date.isoformat()}",
        "",
        "[taxonomies]",
        f"tags = {toml_list(tags)}",
        f"categories = {toml_list(cats)}",
        "",
        "[extra]",
        f"image = {toml_str(a.image)}",
        "+++",
        "",
    ]
    return "\n".join(fm) + "\n\n".join(blocks) + "\n"


def section_markdown(title: str, description: str, weight: int) -> str:
    return "\n".join([
        "+++",
        f"title = {toml_str(title)}",
        f"description = {toml_str(description)}",
        'sort_by = "date"',
        "paginate_by = 10",
        f"weight = {weight}",
        "+++",
        "",
    ])


def root_index_markdown(lang: str) -> str:
    return "\n".join([
        "+++",
        f"title = {toml_str(SITE_TITLE[lang])}",
        f"description = {toml_str(SITE_DESCRIPTION[lang])}",
        "+++",
        "",
        LANG_GEN[lang].sentence(random.Random(f"root:{lang}")),
        "",
    ])


# --------------------------------------------------------------------------------------------
# Config and templates
# --------------------------------------------------------------------------------------------

TAXONOMIES_TOML = """taxonomies = [
    {name = "tags", feed = false},
    {name = "categories", paginate_by = 20},
]"""


def config_toml(highlight_theme: str | None) -> str:
    out = [
        '# Generated by benches/gen_site.py. Uses only keys described in the Zola 0.22.1 docs.',
        'base_url = "https://thongtindoingoai.example.gov.vn"',
        f"title = {toml_str(SITE_TITLE['vi'])}",
        f"description = {toml_str(SITE_DESCRIPTION['vi'])}",
        'default_language = "vi"',
        "compile_sass = false",
        "minify_html = false",
        "generate_feeds = true",
        'feed_filenames = ["atom.xml"]',
        "feed_limit = 50",
        "build_search_index = false",
        "generate_sitemap = true",
        "generate_robots_txt = true",
        TAXONOMIES_TOML,
        "",
        "[markdown]",
        "render_emoji = false",
        "smart_punctuation = false",
        'insert_anchor_links = "none"',
    ]
    if highlight_theme:
        out += ["", "[markdown.highlighting]", f"theme = {toml_str(highlight_theme)}"]
    else:
        out += [
            "# No [markdown.highlighting]: Zola 0.22 (giallo) and Tre (syntect) share no theme name,",
            "# so code blocks are rendered unhighlighted. Use --highlight-theme to add one.",
        ]
    out += ["", "[translations]"]
    out += [f"{k} = {toml_str(v['vi'])}" for k, v in UI.items()]
    for lang in LANGS[1:]:
        out += [
            "",
            f"[languages.{lang}]",
            f"title = {toml_str(SITE_TITLE[lang])}",
            f"description = {toml_str(SITE_DESCRIPTION[lang])}",
            "generate_feeds = true",
            'feed_filenames = ["atom.xml"]',
            "build_search_index = false",
            TAXONOMIES_TOML,
            "",
            f"[languages.{lang}.translations]",
        ]
        out += [f"{k} = {toml_str(v[lang])}" for k, v in UI.items()]
    out += [
        "",
        "[extra]",
        f"sections = {toml_list([s for s, _ in SECTIONS])}",
        "languages = [",
    ]
    out += [f"    {{code = {toml_str(c)}, name = {toml_str(LANG_NAMES[c])}}}," for c in LANGS]
    out += ["]", 'owner = "Bộ Ngoại giao"', ""]
    return "\n".join(out)


TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{% block title %}{{ config.title }}{% endblock title %}</title>
  <meta name="description" content="{% block description %}{{ config.description }}{% endblock description %}">
  <link rel="stylesheet" href="{{ get_url(path='css/site.css') }}">
  {%- if config.generate_feeds %}
  <link rel="alternate" type="application/atom+xml" title="{{ config.title }}" href="{{ get_url(path='atom.xml', lang=lang) }}">
  {%- endif %}
  {%- block alternates %}{% endblock alternates %}
</head>
<body>
  <header class="site-header">
    <a class="brand" href="{{ get_url(path='@/_index.md', lang=lang) }}">{{ config.title }}</a>
    <nav class="menu">
      <a href="{{ get_url(path='@/_index.md', lang=lang) }}">{{ trans(key="home", lang=lang) }}</a>
      {%- for s in config.extra.sections %}
      <a href="{{ get_url(path='@/' ~ s ~ '/_index.md', lang=lang) }}"{% if current_path is containing('/' ~ s ~ '/') %} aria-current="page"{% endif %}>{{ trans(key="section_" ~ s | replace(from="-", to="_"), lang=lang) }}</a>
      {%- endfor %}
    </nav>
    <nav class="languages">
      {%- for l in config.extra.languages %}
      <a href="{{ get_url(path='@/_index.md', lang=l.code) }}" hreflang="{{ l.code }}" lang="{{ l.code }}"{% if l.code == lang %} class="active"{% endif %}>{{ l.name }}</a>
      {%- endfor %}
    </nav>
  </header>
  <main>
  {%- block content %}{% endblock content %}
  </main>
  <footer class="site-footer">
    <p>&copy; {{ config.extra.owner }} &middot; {{ trans(key="footer", lang=lang) }}</p>
  </footer>
</body>
</html>
""",
    "macros.html": """{% macro article_card(page, lang) %}
<article class="card">
  {%- if page.extra.image %}
  <img src="{{ get_url(path=page.extra.image) }}" alt="" width="160" height="90" loading="lazy">
  {%- endif %}
  <h2><a href="{{ page.permalink | safe }}">{{ page.title }}</a></h2>
  <p class="meta"><time datetime="{{ page.date }}">{{ page.date | date(format="%d/%m/%Y") }}</time></p>
  {%- if page.summary %}
  <div class="summary">{{ page.summary | safe }}</div>
  {%- else %}
  <p class="summary">{{ page.description }}</p>
  {%- endif %}
  <a class="more" href="{{ page.permalink | safe }}">{{ trans(key="read_more", lang=lang) }}</a>
</article>
{% endmacro article_card %}

{% macro pager(paginator, lang) %}
{%- if paginator.number_pagers > 1 %}
<nav class="pagination">
  {%- if paginator.previous %}<a rel="prev" href="{{ paginator.previous | safe }}">{{ trans(key="previous", lang=lang) }}</a>{% endif %}
  <span>{{ trans(key="page", lang=lang) }} {{ paginator.current_index }} / {{ paginator.number_pagers }}</span>
  {%- if paginator.next %}<a rel="next" href="{{ paginator.next | safe }}">{{ trans(key="next", lang=lang) }}</a>{% endif %}
  <a href="{{ paginator.first | safe }}">&laquo;</a> <a href="{{ paginator.last | safe }}">&raquo;</a>
</nav>
{%- endif %}
{% endmacro pager %}

{% macro breadcrumbs(ancestors, lang) %}
<nav class="breadcrumbs">
  {%- for a in ancestors %}
  {%- set s = get_section(path=a, metadata_only=true) %}
  <a href="{{ s.permalink | safe }}">{% if loop.first %}{{ trans(key="home", lang=lang) }}{% else %}{{ s.title }}{% endif %}</a> &rsaquo;
  {%- endfor %}
</nav>
{% endmacro breadcrumbs %}
""",
    "index.html": """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block content %}
<section class="intro">
  <h1>{{ section.title }}</h1>
  {{ section.content | safe }}
</section>
{%- for s in config.extra.sections %}
{%- set sec = get_section(path=s ~ "/_index.md", lang=lang) %}
<section class="latest">
  <h2><a href="{{ sec.permalink | safe }}">{{ sec.title }}</a></h2>
  <ul>
  {%- for p in sec.pages | slice(end=5) %}
    <li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <time datetime="{{ p.date }}">{{ p.date | date(format="%d/%m/%Y") }}</time></li>
  {%- endfor %}
  </ul>
</section>
{%- endfor %}
{% endblock content %}
""",
    "section.html": """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block title %}{{ section.title }} | {{ config.title }}{% endblock title %}
{% block description %}{{ section.description | default(value=config.description) }}{% endblock description %}
{% block alternates %}
{%- for l in config.extra.languages %}{% for t in section.translations %}{% if t.lang == l.code %}
  <link rel="alternate" hreflang="{{ t.lang }}" href="{{ t.permalink | safe }}">
{%- endif %}{% endfor %}{% endfor %}
{% endblock alternates %}
{% block content %}
{{ m::breadcrumbs(ancestors=section.ancestors, lang=lang) }}
<h1>{{ section.title }}</h1>
<p class="count">{{ paginator.total_pages }} {{ trans(key="articles", lang=lang) }}</p>
<div class="cards">
{%- for page in paginator.pages %}
{{ m::article_card(page=page, lang=lang) }}
{%- endfor %}
</div>
{{ m::pager(paginator=paginator, lang=lang) }}
{% endblock content %}
""",
    "page.html": """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock title %}
{% block description %}{{ page.description | default(value=config.description) }}{% endblock description %}
{% block alternates %}
{%- for l in config.extra.languages %}{% for t in page.translations %}{% if t.lang == l.code %}
  <link rel="alternate" hreflang="{{ t.lang }}" href="{{ t.permalink | safe }}">
{%- endif %}{% endfor %}{% endfor %}
{% endblock alternates %}
{% block content %}
{{ m::breadcrumbs(ancestors=page.ancestors, lang=lang) }}
<article class="article">
  <h1>{{ page.title }}</h1>
  <p class="meta">
    {{ trans(key="published", lang=lang) }}: <time datetime="{{ page.date }}">{{ page.date | date(format="%d/%m/%Y %H:%M") }}</time>
    &middot; {{ page.reading_time }} {{ trans(key="reading_time", lang=lang) }}
  </p>
  {%- if page.extra.image %}
  <figure class="hero"><img src="{{ get_url(path=page.extra.image) }}" alt="{{ page.title }}" width="640" height="360"></figure>
  {%- endif %}
  {%- if page.toc %}
  <nav class="toc">
    <h2>{{ trans(key="toc", lang=lang) }}</h2>
    <ol>
    {%- for h in page.toc %}
      <li><a href="#{{ h.id }}">{{ h.title }}</a>
      {%- if h.children %}
        <ol>
        {%- for c in h.children %}
          <li><a href="#{{ c.id }}">{{ c.title }}</a></li>
        {%- endfor %}
        </ol>
      {%- endif %}
      </li>
    {%- endfor %}
    </ol>
  </nav>
  {%- endif %}
  <div class="content">
{{ page.content | safe }}
  </div>
  <footer class="taxonomies">
  {%- if page.taxonomies.categories %}
    <p>{{ trans(key="categories", lang=lang) }}:
    {%- for c in page.taxonomies.categories %}
      <a href="{{ get_taxonomy_url(kind='categories', name=c, lang=lang) | safe }}">{{ c }}</a>{% if not loop.last %},{% endif %}
    {%- endfor %}</p>
  {%- endif %}
  {%- if page.taxonomies.tags %}
    <p>{{ trans(key="tags", lang=lang) }}:
    {%- for t in page.taxonomies.tags %}
      <a class="tag" href="{{ get_taxonomy_url(kind='tags', name=t, lang=lang) | safe }}">#{{ t }}</a>
    {%- endfor %}</p>
  {%- endif %}
  </footer>
  {%- if page.translations | length > 1 %}
  <aside class="translations">
    <h2>{{ trans(key="translations", lang=lang) }}</h2>
    <ul>
    {%- for l in config.extra.languages %}{% for t in page.translations %}{% if t.lang == l.code and t.lang != lang %}
      <li><a href="{{ t.permalink | safe }}" hreflang="{{ t.lang }}" lang="{{ t.lang }}">{{ l.name }}: {{ t.title }}</a></li>
    {%- endif %}{% endfor %}{% endfor %}
    </ul>
  </aside>
  {%- endif %}
  <nav class="siblings">
    {%- if page.lower %}<a rel="prev" href="{{ page.lower.permalink | safe }}">{{ trans(key="older", lang=lang) }}: {{ page.lower.title }}</a>{% endif %}
    {%- if page.higher %}<a rel="next" href="{{ page.higher.permalink | safe }}">{{ trans(key="newer", lang=lang) }}: {{ page.higher.title }}</a>{% endif %}
  </nav>
</article>
{% endblock content %}
""",
    "taxonomy_list.html": """{% extends "base.html" %}
{% block title %}{{ trans(key=taxonomy.name, lang=lang) }} | {{ config.title }}{% endblock title %}
{% block content %}
<h1>{{ trans(key=taxonomy.name, lang=lang) }}</h1>
<ul class="terms">
{%- for term in terms %}
  <li><a href="{{ term.permalink | safe }}">{{ term.name }}</a> <span class="count">({{ term.page_count }})</span></li>
{%- endfor %}
</ul>
{% endblock content %}
""",
    "taxonomy_single.html": """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block title %}{{ term.name }} | {{ trans(key=taxonomy.name, lang=lang) }} | {{ config.title }}{% endblock title %}
{% block content %}
<p class="breadcrumbs"><a href="{{ get_url(path='@/_index.md', lang=lang) }}">{{ trans(key="home", lang=lang) }}</a> &rsaquo;
  <a href="{{ get_url(path=taxonomy.name, lang=lang, trailing_slash=true) }}">{{ trans(key=taxonomy.name, lang=lang) }}</a></p>
<h1>{{ term.name }}</h1>
<p class="count">{{ term.page_count }} {{ trans(key="articles", lang=lang) }}</p>
{%- if paginator is defined %}
<div class="cards">
{%- for page in paginator.pages %}
{{ m::article_card(page=page, lang=lang) }}
{%- endfor %}
</div>
{{ m::pager(paginator=paginator, lang=lang) }}
{%- else %}
<ul class="term-pages">
{%- for page in term.pages %}
  <li><a href="{{ page.permalink | safe }}">{{ page.title }}</a> <time datetime="{{ page.date }}">{{ page.date | date(format="%d/%m/%Y") }}</time></li>
{%- endfor %}
</ul>
{%- endif %}
{% endblock content %}
""",
}

SITE_CSS = """body { font-family: system-ui, "Noto Sans", "Noto Sans SC", sans-serif; margin: 0 auto; max-width: 72rem; line-height: 1.6; }
.site-header, .site-footer { padding: 1rem; background: #b71c1c; color: #fff; }
.site-header a, .site-footer a { color: #fff; margin-right: .75rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: 1rem; }
.toc { border-left: 3px solid #b71c1c; padding-left: 1rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .25rem .5rem; }
pre { background: #f6f8fa; padding: 1rem; overflow-x: auto; }
"""


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

GENERATED = ["config.toml", "content", "templates", "static", ".gen_site.json"]


def generate(out: Path, n: int, seed: int, highlight_theme: str | None) -> Writer:
    w = Writer(out)
    articles = plan_site(n, seed)
    link_pool = {lang: [a for a in articles if lang in a.langs] for lang in LANGS}
    r_links = random.Random(f"links:{seed}")

    w.text("config.toml", config_toml(highlight_theme))
    for name, body in TEMPLATES.items():
        w.text(f"templates/{name}", body)
    w.text("static/css/site.css", SITE_CSS)
    w.raw(f"static/{IMAGES[0]}", png_bytes(160, 90, 0))
    w.raw(f"static/{IMAGES[1]}", png_bytes(320, 90, 77))

    for lang in LANGS:
        suffix = "" if lang == DEFAULT_LANG else f".{lang}"
        w.text(f"content/_index{suffix}.md", root_index_markdown(lang))
        for si, (slug, names) in enumerate(SECTIONS):
            desc = LANG_GEN[lang].sentence(random.Random(f"section:{slug}:{lang}"))
            w.text(f"content/{slug}/_index{suffix}.md", section_markdown(names[lang], desc, si + 1))

    for a in articles:
        sec = SECTIONS[a.section][0]
        for lang in a.langs:
            suffix = "" if lang == DEFAULT_LANG else f".{lang}"
            w.text(f"content/{sec}/{a.slug}{suffix}.md",
                   article_markdown(a, lang, seed, link_pool, r_links))

    counts = {lang: len(link_pool[lang]) for lang in LANGS}
    meta = {"generator_version": GENERATOR_VERSION, "articles": n, "seed": seed,
            "highlight_theme": highlight_theme, "pages_per_language": counts}
    w.text(".gen_site.json", json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return w


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, required=True, help="number of articles (vi pages)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", type=Path, required=True, help="site root to write")
    ap.add_argument("--force", action="store_true",
                    help="replace a previously generated site in --out (only the generated paths)")
    ap.add_argument("--highlight-theme", default=None,
                    help="add [markdown.highlighting] theme = NAME (Zola 0.22 wants a giallo name, "
                         "Tre a syntect name; off by default)")
    args = ap.parse_args(argv)
    if args.articles < 1:
        ap.error("--articles must be at least 1")

    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        if not args.force:
            print(f"error: {out} is not empty (use --force to replace a generated site)",
                  file=sys.stderr)
            return 2
        if not (out / ".gen_site.json").exists():
            print(f"error: {out} has no .gen_site.json; refusing to delete anything there",
                  file=sys.stderr)
            return 2
        for name in GENERATED:
            p = out / name
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
    out.mkdir(parents=True, exist_ok=True)
    w = generate(out, args.articles, args.seed, args.highlight_theme)
    print(f"wrote {w.files} files, {w.bytes} bytes to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
