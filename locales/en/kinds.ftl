## Names of the content kinds (kinds.toml: kind-<id>)

kind-news = News
kind-statement = Statement
kind-correction = Correction
kind-document = Document
kind-policy = Investment policy
kind-project = Investment project
kind-destination = Destination
kind-event = Event
kind-gallery = Photo gallery
kind-video = Video
kind-person = Person
kind-story = Feature story

## The upcoming-events page (templates/events.html)

event-lunar-day = lunar calendar { $date }
events-none = No upcoming events yet.

facts-title-document = Document details
