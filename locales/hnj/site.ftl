# Lus Hmoob (hnj) — partial on purpose. Only the strings below were translated with
# confidence; every other message falls back along the chain hnj → vi → en, and
# `tre check` lists the missing ones in its translation status report.

nav-lich-su = Keeb kwm
nav-van-hoa = Kab lis kev cai
nav-tin-tuc = Xov xwm
