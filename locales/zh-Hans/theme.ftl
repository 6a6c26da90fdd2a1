# 门户主题（tre-portal）— 简体中文界面（完整）。

## 标识与导航

skip-to-content = 跳到主要内容
language-switcher = 选择语言
nav-main-label = 主要栏目
nav-home = 首页
breadcrumb-label = 当前位置
og-locale = zh_CN

## 首页

home-sections = 信息栏目
home-latest-news = 最新消息
home-all-news = 查看全部新闻

## 文章

meta-published = 发布日期：
meta-updated = 更新日期：
date-long = { DATETIME($date) }
reading-time = 阅读约需 { $count } 分钟
not-yet-translated = 本内容尚未译成您所选的语言，以下为原文。
correction-of = 本文对以下报道作出更正或澄清：
backlinks-title = 引用本页的文章
page-nav-label = 本栏目其他文章
page-nav-lower = 上一篇
page-nav-higher = 下一篇
section-articles =
    { $count ->
        [0] 暂无文章
       *[other] 共 { $count } 篇文章
    }
article-count = { $count } 篇文章

## 文章要点

facts-title-policy = 文件信息
facts-title-project = 项目信息
facts-title-destination = 参观信息
facts-title-event = 节庆信息
facts-title-statement = 发言信息
fact-doc-number = 文号
fact-doc-date = 发布日期
fact-issuer = 发布机关
fact-effective-date = 生效日期
fact-sector = 领域
fact-size = 规模
fact-capital = 预计投资总额
fact-location = 地点
fact-coordinates = 坐标
coordinates = 北纬 { NUMBER($lat) }°，东经 { NUMBER($lon) }°
fact-opening-hours = 开放时间
fact-lunar-date = 农历日期
fact-solar-date = 对应公历日期
fact-spokesperson = 发言人
fact-contact = 联系方式

## 主题标签

tags-title = 主题
tags-description =
    { $count ->
        [0] 暂无主题。
       *[other] 本网站共使用 { $count } 个主题对文章进行分类。
    }
tag-page-title = 主题：{ $tag }
tag-page-description = 主题“{ $tag }”下共有 { $count } 篇文章。
feed-atom = 门户网站最新消息（Atom）
feed-rss = 门户网站最新消息（RSS）
feed-tag = 订阅主题“{ $tag }”（Atom）

## 分页

pagination-label = 分页
pagination-previous = ‹ 上一页
pagination-next = 下一页 ›
pagination-position = 第 { $current } 页，共 { $total } 页

## 页脚

footer-phone = 电话
footer-fax = 传真
footer-email = 电子邮箱
footer-hours = 办公时间（星期一至星期五）
footer-responsible = 内容负责人
footer-links = 链接
footer-contact = 联系我们
footer-feed-atom = Atom 订阅
footer-feed-rss = RSS 订阅
footer-sitemap = 网站地图（XML）
footer-about-title = 关于本网站

## 404 页面

not-found-title = 找不到页面
not-found-text = 您访问的地址不存在或已迁移。
not-found-home = 返回您所选语言的首页

## 搜索

nav-search = 搜索
search-label = 关键词
search-submit = 搜索
search-results-for = 搜索结果：
search-nothing-found = 没有同时包含这些词的文章。请尝试其他或更少的关键词。
search-failed = 无法加载搜索索引，请稍后再试。
search-needs-javascript = 搜索在您的浏览器中运行，需要 JavaScript。所有文章也可以通过上方菜单找到。

# Tre: editorial workflow and units (issue 13).
unit-kicker = 单位：
unit-contact = 联系人
unit-feed = 本单位最新消息（Atom）
units-title = 各单位
unit-nav-label = { $unit }页面
unit-search = 在本单位内搜索
unit-block-latest = 本单位最新消息
unit-block-pages = 重点信息
unit-block-contact = 联系本单位
search-unit-label = 搜索范围
search-unit-all = 整个门户网站
search-in-unit = （范围：{ $unit }）
change-note = 更正
being-translated = 紧急消息：译文正在翻译中。以下为原文。
withdrawn-notice = 此信息已撤下。
withdrawn-on = 撤下日期
withdrawn-reason = 原因
