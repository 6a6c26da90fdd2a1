# 山云省示例门户（虚构地方）专用的消息：名称、菜单、说明。

-province = 山云省
site-name = { -province }对外信息门户网站
site-kicker = { -province }人民委员会
nav-gioi-thieu = 省情概况
nav-lich-su = 历史
nav-van-hoa = 文化
nav-dau-tu = 投资
nav-du-lich = 旅游
nav-tin-tuc = 新闻
default-image-alt = 插图：晨雾中层层叠叠的山峦，太阳从山峰后升起
footer-notice = 本网站是一个<strong>虚构</strong>地方的<strong>演示</strong>门户网站，用于展示 Tre 软件。网站中的地名、数据、文件、坐标和人物均非真实。
footer-motto = “主动、同步、及时、创新、高效”
footer-rights = 文字和图片以 CC0（公共领域）许可发布。
