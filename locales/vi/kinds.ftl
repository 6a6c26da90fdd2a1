## Tên các loại bài viết (kinds.toml: kind-<id>)

kind-news = Tin tức
kind-statement = Phát ngôn
kind-correction = Đính chính, làm rõ
kind-document = Văn bản
kind-policy = Chính sách đầu tư
kind-project = Dự án kêu gọi đầu tư
kind-destination = Điểm đến
kind-event = Sự kiện, lễ hội
kind-gallery = Phóng sự ảnh
kind-video = Video
kind-person = Nhân vật
kind-story = Bài viết chuyên đề

## Trang lịch sự kiện (templates/events.html)

event-lunar-day = ngày { $date } âm lịch
events-none = Chưa có sự kiện sắp diễn ra.

facts-title-document = Thông tin văn bản

## Sổ văn bản (templates/documents.html) và tệp đính kèm

fact-doc-type = Loại văn bản
fact-abstract = Trích yếu
fact-signer = Người ký
doc-type-law = Luật
doc-type-decree = Nghị định
doc-type-resolution = Nghị quyết
doc-type-decision = Quyết định
doc-type-directive = Chỉ thị
doc-type-circular = Thông tư
doc-type-plan = Kế hoạch
doc-type-report = Báo cáo
doc-type-official-letter = Công văn
doc-type-other = Văn bản khác
attachments-title = Tệp đính kèm
file-size-kb = { $kb } KB
file-size-mb = { NUMBER($mb, maximumFractionDigits: 1) } MB
register-link = Xem sổ văn bản: tất cả văn bản theo số, ngày ban hành, loại và cơ quan ban hành
register-none = Chưa có văn bản nào.
register-filter = Tìm văn bản
register-by-type = Theo loại văn bản
register-by-issuer = Theo cơ quan ban hành
register-all = Tất cả văn bản ({ $count })
register-abstract = Trích yếu

## Phóng sự ảnh, video, bài viết chuyên đề, nhân vật

gallery-title = Ảnh ({ $count })
picture-credit = Ảnh: { $name }
video-download = Tải video
video-duration = Thời lượng { $duration }
video-captions-file = Phụ đề { $label } (WebVTT)
video-transcript = Lời thoại của video
story-chapters = Các chương
facts-title-person = Thông tin nhân vật
fact-person-role = Nhân vật
person-role-historical-figure = Nhân vật lịch sử
person-role-good-model = Gương điển hình, mô hình tốt
person-role-artisan = Nghệ nhân
person-role-other = Nhân vật
fact-born = Năm sinh
fact-died = Năm mất
fact-birth-place = Quê quán
fact-known-for = Được biết đến với
