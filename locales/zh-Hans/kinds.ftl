## 内容类型名称（kinds.toml: kind-<id>）

kind-news = 新闻
kind-statement = 发言
kind-correction = 更正与澄清
kind-document = 文件
kind-policy = 投资政策
kind-project = 招商项目
kind-destination = 旅游目的地
kind-event = 活动与节庆
kind-gallery = 图片报道
kind-video = 视频
kind-person = 人物
kind-story = 专题报道

## 活动日程页（templates/events.html）

event-lunar-day = 农历 { $date }
events-none = 暂无即将举行的活动。

facts-title-document = 文件信息

## 文件目录（templates/documents.html）与附件

fact-doc-type = 文件类型
fact-abstract = 摘要
fact-signer = 签署人
doc-type-law = 法律
doc-type-decree = 议定
doc-type-resolution = 决议
doc-type-decision = 决定
doc-type-directive = 指示
doc-type-circular = 通知
doc-type-plan = 计划
doc-type-report = 报告
doc-type-official-letter = 公函
doc-type-other = 其他文件
attachments-title = 附件
file-size-kb = { $kb } KB
file-size-mb = { NUMBER($mb, maximumFractionDigits: 1) } MB
register-link = 查看文件目录：按文号、日期、类型和发文机关列出全部文件
register-none = 暂无文件。
register-filter = 查找文件
register-by-type = 按文件类型
register-by-issuer = 按发文机关
register-all = 全部文件（{ $count }）
register-abstract = 摘要

## 图片报道、视频、专题报道、人物

gallery-title = 图片（{ $count }）
picture-credit = 摄影：{ $name }
video-download = 下载视频
video-duration = 时长 { $duration }
video-captions-file = { $label }字幕（WebVTT）
video-transcript = 视频文字稿
story-chapters = 章节
facts-title-person = 人物信息
fact-person-role = 身份
person-role-historical-figure = 历史人物
person-role-good-model = 先进典型
person-role-artisan = 手艺人
person-role-other = 人物
fact-born = 出生
fact-died = 逝世
fact-birth-place = 籍贯
fact-known-for = 主要事迹
