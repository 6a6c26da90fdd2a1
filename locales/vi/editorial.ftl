# Tre: editorial workflow and units (issue 13).
unit-kicker = Đơn vị:
unit-contact = Người liên hệ
unit-feed = Tin mới của đơn vị (Atom)
units-title = Các đơn vị
change-note = Đính chính
being-translated = Tin khẩn: bản dịch đang được thực hiện. Dưới đây là bản gốc.
withdrawn-notice = Thông tin này đã được gỡ bỏ.
withdrawn-on = Ngày gỡ bỏ
withdrawn-reason = Lý do
