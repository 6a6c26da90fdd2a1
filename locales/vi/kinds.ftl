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
