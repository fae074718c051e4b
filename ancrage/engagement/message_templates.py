"""The editable French messages shipped with campaigns and themed weeks, and their schedule.

The words follow the seed's deployment advice: tie the paths to the organisation's
strategic stakes, bust the myths (« ce n'est pas de la formation au rabais », « small is
beautiful », « le microlearning n'est pas magique »), make the week an event, and end on
the action plan. They are content, written in French like the rest of the demo; the L&D
lead edits them freely before scheduling.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ancrage.engagement.models import MessageAudience, MessageKind


@dataclass(frozen=True)
class MessageTemplate:
    kind: str
    subject: str
    body: str
    audience: str = MessageAudience.ALL


ANNOUNCE = MessageTemplate(
    kind=MessageKind.ANNOUNCE,
    subject="{campagne} : rendez-vous le {date_debut}",
    body=(
        "Bonjour {prenom},\n\n"
        "À partir du {date_debut}, {organisation} lance « {campagne} ».\n\n"
        "Notre enjeu : {enjeu}. Il ne se décrète pas : il se construit chaque jour, par "
        "chacun d'entre nous, avec de nouvelles pratiques.\n\n"
        "Pour nous y aider, des parcours microlearning d'une vingtaine de minutes, en modules "
        "de 3 à 7 minutes, à suivre sur téléphone, tablette ou ordinateur, au moment qui vous "
        "convient : {parcours}.\n\n"
        "Le microlearning se glisse dans nos routines : quelques minutes entre deux réunions "
        "pour apprendre, essayer dès le lendemain, et partager avec l'équipe ce qui marche.\n\n"
        "Découvrir la campagne : {lien}"
    ),
)

LAUNCH = MessageTemplate(
    kind=MessageKind.LAUNCH,
    subject="C'est parti : {campagne}",
    body=(
        "Bonjour {prenom},\n\n"
        "« {campagne} » commence aujourd'hui et dure jusqu'au {date_fin}.\n\n"
        "Notre enjeu : {enjeu}.\n\n"
        "Vos parcours : {parcours}. Chacun dure une vingtaine de minutes. Commencez par le "
        "premier module aujourd'hui — cinq minutes suffisent — et notez une pratique à "
        "essayer cette semaine.\n\n"
        "Commencer : {lien}"
    ),
)

MYTHS = MessageTemplate(
    kind=MessageKind.MYTH,
    subject="Microlearning : trois idées reçues",
    body=(
        "Bonjour {prenom},\n\n"
        "« Le microlearning, c'est de la formation au rabais ! » Eh non. Concevoir un "
        "parcours microlearning demande une véritable expertise pédagogique : des formations "
        "autonomes, courtes et cohérentes, scénarisées pour être mises en pratique tout de "
        "suite en situation de travail.\n\n"
        "« Des contenus courts pour se former ? Ce n'est pas crédible. » Et pourtant : small "
        "is beautiful. Ce qui compte n'est pas la quantité d'information, mais quelques "
        "messages clés, bien scénarisés, qui donnent l'impulsion d'agir et d'aller plus "
        "loin.\n\n"
        "« Alors remplaçons toutes les formations longues ! » Vigilance : le microlearning "
        "n'est pas magique. Il fait partie d'une culture d'entreprise apprenante, avec des "
        "modalités variées, formelles et informelles, et des parcours socles plus longs "
        "pour approfondir.\n\n"
        "Vingt minutes pour vous faire votre idée : {lien}"
    ),
)

REMINDER = MessageTemplate(
    kind=MessageKind.REMINDER,
    subject="{prenom}, votre parcours vous attend",
    body=(
        "Bonjour {prenom},\n\n"
        "« {campagne} » se poursuit jusqu'au {date_fin} et vous n'avez pas encore commencé. "
        "Un module dure de 3 à 7 minutes : bloquez un petit créneau dans votre journée — "
        "avant un café, entre deux réunions — et lancez-vous.\n\n"
        "Vos parcours : {parcours}.\n\n"
        "Commencer : {lien}"
    ),
    audience=MessageAudience.NOT_STARTED,
)

LAST_CALL = MessageTemplate(
    kind=MessageKind.LAST_CALL,
    subject="Dernier appel : {campagne} se termine le {date_fin}",
    body=(
        "Bonjour {prenom},\n\n"
        "Il reste quelques jours pour terminer votre parcours de « {campagne} ».\n\n"
        "Terminer, c'est surtout écrire votre plan d'action : le jour, l'heure, le lieu et "
        "la tâche où vous mettrez en pratique ce que vous avez appris. C'est ce qui fait la "
        "différence dans la durée.\n\n"
        "Terminer mon parcours : {lien}"
    ),
    audience=MessageAudience.NOT_COMPLETED,
)

EVENT_ANNOUNCE = MessageTemplate(
    kind=MessageKind.ANNOUNCE,
    subject="Bientôt : {campagne}, du {date_debut} au {date_fin}",
    body=(
        "Bonjour {prenom},\n\n"
        "Du {date_debut} au {date_fin}, {organisation} organise « {campagne} » : une "
        "semaine pour nous concentrer ensemble sur un sujet qui compte. Notre enjeu : "
        "{enjeu}.\n\n"
        "Au programme, des parcours microlearning de vingt minutes : {parcours}.\n\n"
        "Réservez dès maintenant quelques minutes par jour dans votre agenda.\n\n"
        "En savoir plus : {lien}"
    ),
)

KICKOFF = MessageTemplate(
    kind=MessageKind.KICKOFF,
    subject="{campagne} : c'est parti !",
    body=(
        "Bonjour {prenom},\n\n"
        "Cette semaine, c'est « {campagne} » chez {organisation}, jusqu'au {date_fin}.\n\n"
        "Notre objectif : que {objectif} % d'entre nous suivent au moins un parcours. Et un "
        "défi d'équipe : la part de l'équipe qui termine un parcours et écrit son plan "
        "d'action.\n\n"
        "Au programme : {parcours}. Chaque matin, une carte dans Teams propose le parcours "
        "du jour.\n\n"
        "Participer : {lien}"
    ),
)

DAILY_CARD = MessageTemplate(
    kind=MessageKind.DAILY_CARD,
    subject="{campagne} — le parcours du jour",
    body=(
        "Aujourd'hui : {parcours}. Vingt minutes, en modules de quelques minutes, pour "
        "essayer une nouvelle pratique dès cet après-midi. Objectif de la semaine : "
        "{objectif} % de participation."
    ),
)

EVENT_LAST_CALL = MessageTemplate(
    kind=MessageKind.LAST_CALL,
    subject="Dernier jour : {campagne}",
    body=(
        "Bonjour {prenom},\n\n"
        "C'est le dernier jour de « {campagne} ». Il est encore temps de terminer un "
        "parcours et d'écrire votre plan d'action — le jour, l'heure, le lieu et la tâche "
        "où vous mettrez en pratique ce que vous avez appris — pour faire gagner votre "
        "équipe.\n\n"
        "Terminer : {lien}"
    ),
    audience=MessageAudience.NOT_COMPLETED,
)

ALL_TEMPLATES: dict[str, MessageTemplate] = {
    "announce": ANNOUNCE,
    "launch": LAUNCH,
    "myth": MYTHS,
    "reminder": REMINDER,
    "last_call": LAST_CALL,
    "event_announce": EVENT_ANNOUNCE,
    "kickoff": KICKOFF,
    "daily_card": DAILY_CARD,
    "event_last_call": EVENT_LAST_CALL,
}


@dataclass(frozen=True)
class PlannedMessage:
    template: MessageTemplate
    send_at: datetime


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """9:00 on `day` in the site's time zone (Europe/Paris), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def campaign_sequence(starts_on: date, ends_on: date) -> list[PlannedMessage]:
    """Announce (3 days before), launch, myth-busting, reminder, last call."""
    length = (ends_on - starts_on).days
    middle = starts_on + timedelta(days=max(length // 2, 1))
    last_call = max(ends_on - timedelta(days=2), starts_on + timedelta(days=1))
    return [
        PlannedMessage(ANNOUNCE, at(starts_on - timedelta(days=3), 10)),
        PlannedMessage(LAUNCH, at(starts_on, 9)),
        PlannedMessage(MYTHS, at(starts_on + timedelta(days=min(2, max(length, 1))), 12, 30)),
        PlannedMessage(REMINDER, at(middle, 9)),
        PlannedMessage(LAST_CALL, at(last_call, 9)),
    ]


def event_sequence(starts_on: date, ends_on: date) -> list[PlannedMessage]:
    """Announce (a week before), kick-off, reminder mid-week, last call on the last day."""
    length = (ends_on - starts_on).days
    middle = starts_on + timedelta(days=max(length // 2, 1))
    return [
        PlannedMessage(EVENT_ANNOUNCE, at(starts_on - timedelta(days=7), 10)),
        PlannedMessage(KICKOFF, at(starts_on, 8, 30)),
        PlannedMessage(REMINDER, at(min(middle, ends_on), 9)),
        PlannedMessage(EVENT_LAST_CALL, at(ends_on, 9)),
    ]


def event_days(starts_on: date, ends_on: date) -> list[date]:
    """The working days of the event (Monday to Friday), for the daily cards."""
    days = []
    day = starts_on
    while day <= ends_on:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days
