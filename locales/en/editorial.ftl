# Tre: editorial workflow and units (issue 13).
unit-kicker = Unit:
unit-contact = Contact
unit-feed = The unit's latest news (Atom)
units-title = Units
change-note = Correction
being-translated = Urgent news: the translation is being made. The original follows.
withdrawn-notice = This information has been withdrawn.
withdrawn-on = Withdrawn on
withdrawn-reason = Reason
