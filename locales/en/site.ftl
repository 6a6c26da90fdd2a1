# Messages of the Son Van sample portal (a fictional province): names, menu, notices.
# The theme uses them when present; its own messages are in theme.ftl.

-province = Son Van Province
site-name = { -province } External Information Portal
site-kicker = People's Committee of { -province }
nav-gioi-thieu = About
nav-lich-su = History
nav-van-hoa = Culture
nav-dau-tu = Investment
nav-du-lich = Tourism
nav-tin-tuc = News
default-image-alt = Illustration of layered mountain ridges in the early-morning mist, with the sun rising behind a peak
footer-notice = This is a <strong>demonstration</strong> portal of a <strong>fictional</strong> locality, built to show the Tre software. Its place names, figures, documents, coordinates and people are not real.
footer-motto = “Proactive, coordinated, timely, creative, effective”
footer-rights = Text and images are released under CC0 (public domain).
