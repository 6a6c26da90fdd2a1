# Thông điệp riêng của cổng mẫu tỉnh Sơn Vân (một địa phương hư cấu): tên, trình đơn, ghi chú.
# Giao diện dùng chúng khi có; thông điệp chung của giao diện nằm ở theme.ftl.

-province = tỉnh Sơn Vân
site-name = Cổng thông tin đối ngoại { -province }
site-kicker = Ủy ban nhân dân { -province }
nav-gioi-thieu = Giới thiệu
nav-lich-su = Lịch sử
nav-van-hoa = Văn hóa
nav-dau-tu = Đầu tư
nav-du-lich = Du lịch
nav-tin-tuc = Tin tức
default-image-alt = Tranh minh họa những dãy núi chồng lớp trong sương sớm, mặt trời lên sau đỉnh núi
footer-notice = Đây là cổng thông tin <strong>trình diễn</strong> của một địa phương <strong>hư cấu</strong>, được xây dựng để minh họa phần mềm Tre. Tên địa danh, số liệu, văn bản, tọa độ và con người trên trang đều không có thật.
footer-motto = “Chủ động, đồng bộ, kịp thời, sáng tạo, hiệu quả”
footer-rights = Nội dung và hình ảnh phát hành theo giấy phép CC0 (phạm vi công cộng).
