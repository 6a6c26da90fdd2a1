# Tre: editorial workflow and units (issue 13).
unit-kicker = 单位：
unit-contact = 联系人
unit-feed = 本单位最新消息（Atom）
units-title = 各单位
change-note = 更正
being-translated = 紧急消息：译文正在翻译中。以下为原文。
withdrawn-notice = 此信息已撤下。
withdrawn-on = 撤下日期
withdrawn-reason = 原因
