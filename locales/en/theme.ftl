# Portal theme (tre-portal) — English UI (complete).

## Identity and navigation

skip-to-content = Skip to main content
language-switcher = Choose a language
nav-main-label = Main sections
nav-home = Home
breadcrumb-label = You are here
og-locale = en_US

## Home page

home-sections = Information by topic
home-latest-news = Latest news
home-all-news = See all news

## Articles

meta-published = Published:
meta-updated = Updated:
date-long = { DATETIME($date) }
reading-time =
    { $count ->
        [one] 1 minute read
       *[other] { $count } minutes read
    }
not-yet-translated = This content has not been translated into your language yet. The original version is shown below.
correction-of = This notice corrects or clarifies the following article:
backlinks-title = Articles that refer to this page
page-nav-label = More in this section
page-nav-lower = Previous
page-nav-higher = Next
section-articles =
    { $count ->
        [0] No articles yet
        [one] 1 article
       *[other] { $count } articles
    }
article-count =
    { $count ->
        [one] 1 article
       *[other] { $count } articles
    }

## Key facts in articles

facts-title-policy = Document details
facts-title-project = Project details
facts-title-destination = Visitor information
facts-title-event = Festival details
facts-title-statement = Statement details
fact-doc-number = Document number
fact-doc-date = Date of issue
fact-issuer = Issued by
fact-effective-date = Effective from
fact-sector = Sector
fact-size = Size
fact-capital = Estimated investment
fact-location = Location
fact-coordinates = Coordinates
coordinates = { NUMBER($lat) }° N, { NUMBER($lon) }° E
fact-opening-hours = Opening hours
fact-lunar-date = Lunar calendar date
fact-solar-date = Gregorian calendar date
fact-spokesperson = Spokesperson
fact-contact = Contact

## Tags

tags-title = Topics
tags-description =
    { $count ->
        [0] There are no topics yet.
        [one] One topic is used to classify the articles on this portal.
       *[other] { $count } topics are used to classify the articles on this portal.
    }
tag-page-title = Topic: { $tag }
tag-page-description =
    { $count ->
        [one] One article on the topic “{ $tag }”.
       *[other] { $count } articles on the topic “{ $tag }”.
    }
feed-atom = Latest from the portal (Atom)
feed-rss = Latest from the portal (RSS)
feed-tag = Follow the topic “{ $tag }” (Atom)

## Pagination

pagination-label = Pagination
pagination-previous = ‹ Previous page
pagination-next = Next page ›
pagination-position = Page { $current } of { $total }

## Footer

footer-phone = Telephone
footer-fax = Fax
footer-email = Email
footer-hours = Office hours (Monday to Friday)
footer-responsible = Responsible for content
footer-links = Links
footer-contact = Contact us
footer-feed-atom = Atom feed
footer-feed-rss = RSS feed
footer-sitemap = Sitemap (XML)
footer-about-title = About this portal

## 404 page

not-found-title = Page not found
not-found-text = The address you requested does not exist or has moved.
not-found-home = Go to the home page in your language

## Search

nav-search = Search
search-label = Search words
search-submit = Search
search-results-for = Search results for
search-nothing-found = No article contains all of these words. Try other or fewer words.
search-failed = The search index could not be loaded. Please try again later.
search-needs-javascript = Search runs in your browser and needs JavaScript. Every article can also be reached from the menu above.

# Tre: editorial workflow and units (issue 13).
unit-kicker = Unit:
unit-contact = Contact
unit-feed = The unit's latest news (Atom)
units-title = Units
unit-nav-label = Pages of { $unit }
unit-search = Search this unit
unit-block-latest = The unit's latest news
unit-block-pages = Featured
unit-block-contact = Contact the unit
search-unit-label = Search in
search-unit-all = The whole portal
search-in-unit = in { $unit }
change-note = Correction
being-translated = Urgent news: the translation is being made. The original follows.
withdrawn-notice = This information has been withdrawn.
withdrawn-on = Withdrawn on
withdrawn-reason = Reason
