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
