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

## The document register (templates/documents.html) and attachments

fact-doc-type = Type of document
fact-abstract = Abstract
fact-signer = Signed by
doc-type-law = Law
doc-type-decree = Decree
doc-type-resolution = Resolution
doc-type-decision = Decision
doc-type-directive = Directive
doc-type-circular = Circular
doc-type-plan = Plan
doc-type-report = Report
doc-type-official-letter = Official letter
doc-type-other = Other document
attachments-title = Attachments
file-size-kb = { $kb } KB
file-size-mb = { NUMBER($mb, maximumFractionDigits: 1) } MB
register-link = See the document register: every document by number, date, type and issuing body
register-none = No documents yet.
register-filter = Find a document
register-by-type = By type of document
register-by-issuer = By issuing body
register-all = All documents ({ $count })
register-abstract = Abstract

## Photo galleries, videos, feature stories, people

gallery-title = Photos ({ $count })
picture-credit = Photo: { $name }
video-download = Download the video
video-duration = Length { $duration }
video-captions-file = { $label } captions (WebVTT)
video-transcript = Transcript of the video
story-chapters = Chapters
facts-title-person = About this person
fact-person-role = Who
person-role-historical-figure = Historical figure
person-role-good-model = Good model
person-role-artisan = Artisan
person-role-other = Person
fact-born = Born
fact-died = Died
fact-birth-place = Place of birth
fact-known-for = Known for
