# Thông điệp riêng của trang hướng dẫn (giao diện dùng chúng khi có).
site-kicker = Phần mềm dựng cổng thông tin nhiều ngôn ngữ
footer-notice = Hướng dẫn này được dựng bằng Tre với giao diện cổng thông tin có sẵn (<code>tre init</code>).
