# Giao diện cổng thông tin (theme tre-portal) — tiếng Việt (ngôn ngữ gốc, đầy đủ).
# Mọi chuỗi giao diện trong templates/ lấy từ đây qua t(key=…); những gì riêng của một
# cổng (tên, trình đơn, ghi chú cuối trang) nằm trong site.ftl.

## Nhận diện và điều hướng

skip-to-content = Bỏ qua, đến nội dung chính
language-switcher = Chọn ngôn ngữ
nav-main-label = Chuyên mục chính
nav-home = Trang chủ
breadcrumb-label = Vị trí của bạn trên trang
og-locale = vi_VN

## Trang chủ

home-sections = Các lĩnh vực thông tin
home-latest-news = Tin mới nhất
home-all-news = Xem tất cả tin tức

## Bài viết

meta-published = Ngày đăng:
meta-updated = Cập nhật:
date-long = { DATETIME($date) }
reading-time = { $count } phút đọc
not-yet-translated = Nội dung này chưa được dịch sang ngôn ngữ bạn chọn. Dưới đây là bản gốc.
correction-of = Thông tin này đính chính, làm rõ nội dung của bài:
backlinks-title = Các bài viết dẫn chiếu đến nội dung này
page-nav-label = Bài viết khác trong chuyên mục
page-nav-lower = Bài trước
page-nav-higher = Bài sau
section-articles =
    { $count ->
        [0] Chưa có bài viết
       *[other] Danh sách { $count } bài viết
    }
article-count = { $count } bài viết

## Thông tin tóm tắt trong bài

facts-title-policy = Thông tin văn bản
facts-title-project = Thông tin dự án
facts-title-destination = Thông tin tham quan
facts-title-event = Thông tin lễ hội
facts-title-statement = Thông tin phát ngôn
fact-doc-number = Số hiệu văn bản
fact-doc-date = Ngày ban hành
fact-issuer = Cơ quan ban hành
fact-effective-date = Ngày có hiệu lực
fact-sector = Lĩnh vực
fact-size = Quy mô
fact-capital = Tổng vốn dự kiến
fact-location = Địa điểm
fact-coordinates = Tọa độ
coordinates = { NUMBER($lat) }° vĩ Bắc, { NUMBER($lon) }° kinh Đông
fact-opening-hours = Giờ mở cửa
fact-lunar-date = Ngày âm lịch
fact-solar-date = Ngày dương lịch tương ứng
fact-spokesperson = Người phát ngôn
fact-contact = Đầu mối liên hệ

## Chủ đề (tags)

tags-title = Chủ đề
tags-description =
    { $count ->
        [0] Chưa có chủ đề nào.
       *[other] { $count } chủ đề được dùng để phân loại bài viết trên cổng thông tin.
    }
tag-page-title = Chủ đề: { $tag }
tag-page-description = Các bài viết thuộc chủ đề “{ $tag }” ({ $count } bài).
feed-atom = Tin mới của cổng thông tin (Atom)
feed-rss = Tin mới của cổng thông tin (RSS)
feed-tag = Theo dõi chủ đề “{ $tag }” (Atom)

## Phân trang

pagination-label = Phân trang
pagination-previous = ‹ Trang trước
pagination-next = Trang sau ›
pagination-position = Trang { $current } / { $total }

## Chân trang

footer-phone = Điện thoại
footer-fax = Fax
footer-email = Thư điện tử
footer-hours = Giờ làm việc (thứ Hai đến thứ Sáu)
footer-responsible = Người chịu trách nhiệm nội dung
footer-links = Liên kết
footer-contact = Liên hệ
footer-feed-atom = Nguồn tin Atom
footer-feed-rss = Nguồn tin RSS
footer-sitemap = Sơ đồ trang (XML)
footer-about-title = Về cổng thông tin này

## Trang 404

not-found-title = Không tìm thấy trang
not-found-text = Địa chỉ bạn truy cập không tồn tại hoặc đã được chuyển đi.
not-found-home = Về trang chủ bằng ngôn ngữ bạn chọn

## Tìm kiếm

nav-search = Tìm kiếm
search-label = Từ khóa
search-submit = Tìm
search-results-for = Kết quả tìm kiếm cho
search-nothing-found = Không tìm thấy bài viết nào chứa tất cả các từ này. Hãy thử từ khóa khác hoặc ít từ hơn.
search-failed = Không tải được chỉ mục tìm kiếm. Vui lòng thử lại sau.
search-needs-javascript = Tìm kiếm chạy ngay trong trình duyệt của bạn và cần JavaScript. Mọi bài viết cũng có thể tìm thấy qua các mục trong trình đơn phía trên.

# Tre: editorial workflow and units (issue 13).
unit-kicker = Đơn vị:
unit-contact = Người liên hệ
unit-feed = Tin mới của đơn vị (Atom)
units-title = Các đơn vị
unit-nav-label = Trang của { $unit }
unit-search = Tìm trong đơn vị
unit-block-latest = Tin mới của đơn vị
unit-block-pages = Thông tin nổi bật
unit-block-contact = Liên hệ với đơn vị
search-unit-label = Phạm vi tìm kiếm
search-unit-all = Toàn bộ cổng thông tin
search-in-unit = trong { $unit }
change-note = Đính chính
being-translated = Tin khẩn: bản dịch đang được thực hiện. Dưới đây là bản gốc.
withdrawn-notice = Thông tin này đã được gỡ bỏ.
withdrawn-on = Ngày gỡ bỏ
withdrawn-reason = Lý do
