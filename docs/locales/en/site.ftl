# Messages of the guide itself (the theme uses them when present).
site-kicker = Software for multilingual information portals
footer-notice = This guide is built with Tre and its built-in portal theme (<code>tre init</code>).
