"""Synthetic worlds: realistic, deterministic and valid scenarios of any size.

``generate_world(transfers, persons, seed, as_of)`` returns a :class:`Scenario` of domain
objects, for tests, demonstrations and benchmarks. Arrangements, country assessments and
court orders follow public reporting where there is any (a few are illustrative); the
nationality mix of each sending state and the share of people with a criminal record come
from public statistics cited beside each table; every person is fictional.

The same arguments always give the same world, and every world is valid:
``parse_scenario(scenario_to_document(world)) == world``.
"""

from __future__ import annotations

import gc
import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Final, TypeVar

from thirdcountry.scenario.codes import language_identity
from thirdcountry.scenario.model import (
    UNKNOWN,
    Amount,
    Arrangement,
    ArrangementStatus,
    Assessment,
    AsylumClaim,
    Conviction,
    Country,
    CourtOrder,
    CourtOrderKind,
    CourtOrderScope,
    Fact,
    FearClaim,
    FearClaimStatus,
    MonitoringEntry,
    Notice,
    Payment,
    PaymentKind,
    Person,
    RemovalDecision,
    Scenario,
    StatusChange,
    Terms,
    Transfer,
    TransferStatus,
)

DEFAULT_AS_OF: Final = date(2025, 9, 1)
T = TypeVar("T")

# -- names ---------------------------------------------------------------------------------
# A name lists its spellings, separated by "|": for a group with its own script the native
# form comes first, then Latin transliterations, the most usual first. A person's aliases are
# other spellings of the same name, as they turn up across case files.


@dataclass(frozen=True, slots=True)
class NameGroup:
    """Given names and surnames of one naming tradition, each with its spellings."""

    male: tuple[tuple[str, ...], ...]
    female: tuple[tuple[str, ...], ...]
    surnames: tuple[tuple[str, ...], ...]
    female_surnames: tuple[tuple[str, ...], ...] | None = None
    native: bool = False  # the first spelling of each name is in the group's own script
    family_first: bool = False
    native_separator: str = " "


def _names(entries: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(entry.split("|")) for entry in entries.split(", "))


NAME_GROUPS: Final[dict[str, NameGroup]] = {
    "arabic": NameGroup(
        _names("محمد|Mohammed|Muhammad|Mohamed|Mohamad, أحمد|Ahmed|Ahmad, علي|Ali|Aly, "
               "عمر|Omar|Umar|Omer, يوسف|Youssef|Yusuf|Yousef, حسين|Hussein|Husain|Hussain, "
               "خالد|Khaled|Khalid, إبراهيم|Ibrahim|Ebrahim|Ibraheem"),
        _names("فاطمة|Fatima|Fatma|Fatimah, مريم|Maryam|Mariam|Meryem, نور|Nour|Noor|Nur"),
        _names("الحسن|Al-Hassan|Alhassan|El Hassan, العلي|Al-Ali|Alali|El Ali, "
               "عبد الله|Abdullah|Abdallah|Abdalla, الخطيب|Al-Khatib|Alkhatib|El Khatib, "
               "حداد|Haddad|Hadad, الجبوري|Al-Jubouri|Aljuburi, منصور|Mansour|Mansur|Mansoor"),
        native=True,
    ),
    "persian": NameGroup(
        _names("محمد|Mohammad|Mohammed|Muhammad, رضا|Reza|Raza, احمد|Ahmad|Ahmed, "
               "حسین|Hossein|Hussain|Husain, مهدی|Mehdi|Mahdi, علی|Ali"),
        _names("زهرا|Zahra|Zehra, فاطمه|Fatemeh|Fatima, مریم|Maryam|Mariam"),
        _names("احمدی|Ahmadi|Ahmady, محمدی|Mohammadi|Muhammadi, حسینی|Hosseini|Husseini, "
               "رحیمی|Rahimi|Rahimy, کریمی|Karimi|Karimy, نوری|Noori|Nouri|Nuri"),
        native=True,
    ),
    "cyrillic": NameGroup(
        _names("Алексей|Aleksei|Alexey|Aleksey, Дмитрий|Dmitry|Dmitri|Dmitrii, "
               "Сергей|Sergei|Sergey, Юрий|Yuri|Yury|Iurii, Андрей|Andrei|Andrey"),
        _names("Ольга|Olga|Olha, Наталья|Natalya|Natalia|Nataliya"),
        _names("Иванов|Ivanov|Ivanoff, Смирнов|Smirnov|Smirnoff, Кузнецов|Kuznetsov|Kouznetsov, "
               "Шевченко|Shevchenko|Ševčenko|Chevtchenko"),
        _names("Иванова|Ivanova, Смирнова|Smirnova, Кузнецова|Kuznetsova|Kouznetsova, "
               "Шевченко|Shevchenko|Ševčenko"),
        native=True,
    ),
    "geez": NameGroup(
        _names("ተስፋይ|Tesfay|Tesfai|Tesfaye, ዮናስ|Yonas|Yonass|Jonas, ፊልሞን|Filmon|Filimon, "
               "ዳዊት|Dawit|Dawet, መሓሪ|Mehari|Mihari, ቢንያም|Biniam|Biniyam|Binyam"),
        _names("ሰናይት|Senait|Senayt, ሰላም|Selam|Salam, ፍረወይኒ|Freweyni|Frewoini"),
        _names("ገብረሂወት|Gebrehiwet|Ghebrehiwet|Gebrehiwot, ኪዳነ|Kidane|Kidanie, "
               "ተኽለ|Tekle|Teklay|Tecle, ሃብተ|Habte|Habtey, ወልደ|Welde|Wolde"),
        native=True,
    ),
    "georgian": NameGroup(
        _names("გიორგი|Giorgi|Georgi, ლევან|Levan|Lewan, დავით|Davit|David"),
        _names("ნინო|Nino, თამარ|Tamar|Tamari"),
        _names("ბერიძე|Beridze|Beridse, კაპანაძე|Kapanadze, გელაშვილი|Gelashvili"),
        native=True,
    ),
    "chinese": NameGroup(
        _names("伟|Wei, 强|Qiang|Chiang, 磊|Lei"),
        _names("芳|Fang, 静|Jing|Ching, 敏|Min"),
        _names("王|Wang|Wong, 李|Li|Lee, 张|Zhang|Chang|Cheung, 陈|Chen|Chan"),
        native=True, family_first=True, native_separator="",
    ),
    "spanish": NameGroup(
        _names("José|Jose, Luis, Carlos, Jorge, Juan Carlos|Juancarlos, Yeison|Jeison"),
        _names("María|Maria, Ana, Yessenia|Yesenia|Jessenia, Daniela"),
        _names("García|Garcia, Hernández|Hernandez, Rodríguez|Rodriguez|Rodrigues, Pérez|Perez, "
               "Martínez|Martinez, González|Gonzalez|Gonzales, Ramírez|Ramirez"),
    ),
    "haitian": NameGroup(
        _names("Jean, Pierre, Wilson, Jean-Claude|Jean Claude"),
        _names("Marie, Rose-Merline|Rose Merline"),
        _names("Joseph, Jean-Louis|Jean Louis, Pierre, Saint-Fleur|St Fleur"),
    ),
    "turkish": NameGroup(
        _names("Mehmet|Mehmed, Mustafa, Ahmet|Ahmed, Emre"),
        _names("Ayşe|Ayse, Zeynep|Zeinep"),
        _names("Yılmaz|Yilmaz, Kaya, Demir, Çelik|Celik, Öztürk|Ozturk"),  # noqa: RUF001
    ),
    "albanian": NameGroup(
        _names("Ardit, Endrit|Ëndrit, Klodian, Erion"),
        _names("Elira, Anisa"),
        _names("Hoxha|Hodja, Gjoka, Shehu|Sheu, Krasniqi, Dervishi"),
    ),
    "vietnamese": NameGroup(
        _names("Văn Hùng|Van Hung, Minh Tuấn|Minh Tuan, Đức Anh|Duc Anh"),
        _names("Thị Lan|Thi Lan, Thu Hà|Thu Ha"),
        _names("Nguyễn|Nguyen, Trần|Tran, Lê|Le, Phạm|Pham"),
        family_first=True,
    ),
    "south_asian": NameGroup(
        _names("Mohammad|Muhammad|Mohd, Imran|Imraan, Arif|Aarif, Rahul, Amit, Gurpreet"),
        _names("Priya, Nasrin|Nasreen, Fatima"),
        _names("Khan, Hossain|Hussain|Hosain, Chowdhury|Choudhury|Chaudhry, Singh, Kumar"),
    ),
    "somali": NameGroup(
        _names("Mohamed|Maxamed|Mohammed, Abdi|Cabdi, Hassan|Xasan, Ahmed|Axmed"),
        _names("Faduma|Fadumo|Fatuma, Hodan|Xodan"),
        _names("Abdi|Cabdi, Ali|Cali, Warsame|Warsama, Farah|Faarax"),
    ),
    "west_african": NameGroup(
        _names("Mamadou|Mamadu, Ibrahima|Ibrahim, Moussa|Musa, Chinedu, Abdoulaye"),
        _names("Aminata|Aminatou, Fatoumata|Fatumata, Mariama"),
        _names("Diallo|Jallow|Djalo, Traoré|Traore, Koné|Kone, Ouédraogo|Ouedraogo, Okafor"),
    ),
    "asia_pacific": NameGroup(
        _names("Muhammad|Mohamad|Muhammed, Somchai, Sione, Nimal, Agus"),
        _names("Siti, Mele, Nur|Noor"),
        _names("Abdullah|Abdulla, Fonua, Perera, Fernando, Santoso|Susanto"),
    ),
}  # fmt: skip

# -- nationalities -------------------------------------------------------------------------
# Each nationality's naming tradition and the languages its nationals most often understand
# (ISO 639-1, or 639-3 where there is no two-letter code). "" stands for stateless.

NATIONALITIES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "": ("arabic", ("ar",)),
    "AF": ("persian", ("prs", "ps")),
    "AL": ("albanian", ("sq",)),
    "BD": ("south_asian", ("bn",)),
    "BF": ("west_african", ("fr", "mos")),
    "CI": ("west_african", ("fr", "dyu")),
    "CN": ("chinese", ("zh",)),
    "CO": ("spanish", ("es",)),
    "CU": ("spanish", ("es",)),
    "DZ": ("arabic", ("ar", "fr")),
    "EG": ("arabic", ("ar",)),
    "ER": ("geez", ("ti",)),
    "GE": ("georgian", ("ka",)),
    "GN": ("west_african", ("fr", "ff")),
    "GT": ("spanish", ("es", "quc")),
    "HN": ("spanish", ("es",)),
    "HT": ("haitian", ("ht", "fr")),
    "ID": ("asia_pacific", ("id",)),
    "IN": ("south_asian", ("hi", "pa")),
    "IQ": ("arabic", ("ar", "ckb")),
    "IR": ("persian", ("fa",)),
    "LK": ("asia_pacific", ("si", "ta")),
    "MA": ("arabic", ("ar", "fr")),
    "ML": ("west_african", ("fr", "bm")),
    "MX": ("spanish", ("es",)),
    "MY": ("asia_pacific", ("ms",)),
    "NG": ("west_african", ("en", "ha", "yo")),
    "NI": ("spanish", ("es",)),
    "PE": ("spanish", ("es",)),
    "PK": ("south_asian", ("ur", "pa")),
    "RU": ("cyrillic", ("ru",)),
    "SD": ("arabic", ("ar",)),
    "SO": ("somali", ("so",)),
    "SV": ("spanish", ("es",)),
    "SY": ("arabic", ("ar",)),
    "TH": ("asia_pacific", ("th",)),
    "TN": ("arabic", ("ar", "fr")),
    "TO": ("asia_pacific", ("to",)),
    "TR": ("turkish", ("tr", "kmr")),
    "UA": ("cyrillic", ("uk", "ru")),
    "VE": ("spanish", ("es",)),
    "VN": ("vietnamese", ("vi",)),
    "YE": ("arabic", ("ar",)),
}

# Where the people a sending state would transfer come from: the twelve largest countries of
# origin of asylum applications lodged in that state in 2023, in persons ("" = stateless,
# UNHCR's XXA). Source: UNHCR Refugee Population Statistics Database, asylum_applications
# (shared/data/unhcr-refugee-statistics), year 2023.
ORIGINS: Final[dict[str, tuple[tuple[str, int], ...]]] = {
    "GB": (("AF", 9586), ("IR", 7730), ("PK", 5385), ("IN", 5367), ("AL", 4596),
           ("IQ", 4400), ("TR", 4352), ("BD", 4343), ("ER", 3985), ("SY", 3901),
           ("SD", 3522), ("VN", 2353)),
    "US": (("VE", 186494), ("CO", 129524), ("CU", 99745), ("NI", 90902), ("HT", 76024),
           ("IN", 51686), ("HN", 49691), ("MX", 45895), ("PE", 44816), ("GT", 43641),
           ("RU", 43063), ("CN", 38117)),
    "IT": (("BD", 23450), ("EG", 18296), ("PK", 17077), ("TN", 7785), ("PE", 7528),
           ("CI", 7118), ("BF", 5680), ("MA", 5223), ("NG", 3995), ("GN", 3383),
           ("ML", 3210), ("GE", 3103)),
    "DK": (("AF", 507), ("SY", 497), ("IR", 238), ("ER", 209), ("RU", 146), ("", 112),
           ("UA", 99), ("IQ", 94), ("MA", 71), ("SO", 63), ("TR", 63), ("GE", 61)),
    "NL": (("SY", 13109), ("TR", 2894), ("ER", 2407), ("YE", 1987), ("SO", 1850),
           ("DZ", 1643), ("IQ", 1600), ("IR", 1215), ("MA", 1034), ("SD", 828), ("NG", 806)),
    "AU": (("CN", 4688), ("IR", 4487), ("VN", 3920), ("IN", 3569), ("MY", 2855),
           ("AF", 2020), ("TH", 1634), ("PK", 1588), ("ID", 1588), ("", 1490),
           ("TO", 1459), ("LK", 1417)),
}  # fmt: skip

#: The language of each sending state's administration (a notice is often written in it).
ADMIN_LANGUAGE: Final = {"GB": "en", "US": "en", "IT": "it", "DK": "da", "NL": "nl", "AU": "en"}

# Share of people removed with a criminal conviction on record: 11,112 of 20,384 "other
# removals" (54.5%) in ICE ERO records for the Seattle Area of Responsibility, 2012-2019
# (shared/data/us-ice-seattle-aor-foia, other-removals: "Most Serious Conviction" present).
CONVICTED_SHARE: Final = 0.545
# Share of women: 1,470 of 20,384 in the same records (7.2%).
FEMALE_SHARE: Final = 0.072
OFFENCES: Final = (
    "illegal re-entry", "driving under the influence", "assault", "drug possession",
    "burglary", "fraud", "robbery", "theft",
)  # fmt: skip

# -- unknown facts -------------------------------------------------------------------------
# Case files are uneven: a share of them is complete, the rest miss each (u) fact with its
# own probability (so about 0.6 x the share below is absent overall).
COMPLETE_SHARE: Final = 0.4
MISSING: Final[dict[str, float]] = {
    "birth_date": 0.12,
    "nationalities": 0.08,
    "languages": 0.2,
    "accompanied": 0.3,
    "identity_verified": 0.15,
    "asylum_claim": 0.15,
    "fear_claims": 0.4,
    "removal_decision": 0.15,
    "convictions": 0.35,
    "sentence_end": 0.1,
    "family_in_sending_country": 0.45,
    "fit_to_travel": 0.3,
    "accepted_by_receiving": 0.2,  # of any transfer
    "notice": 0.1,  # of any transfer
}

# -- arrangements --------------------------------------------------------------------------


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _history(*entries: tuple[str, ArrangementStatus, str]) -> tuple[StatusChange, ...]:
    return tuple(StatusChange(_d(day), status, source) for day, status, source in entries)


def _paid(
    day: str, amount: str, currency: str, kind: PaymentKind, payer: str, payee: str, note: str
) -> Payment:
    return Payment(_d(day), Amount(amount), currency, kind, payer, payee, note)


ARRANGEMENTS: Final = (
    Arrangement(
        "GB-RW-2022", "GB", "RW", "Migration and Economic Development Partnership",
        terms=Terms(excluded_nationalities=("RW",)),
        commitments=("asylum_procedure", "accommodation", "education", "employment_support",
                     "health_care", "monitoring_access"),
        status_history=_history(
            ("2022-04-14", "in_force", "memorandum of understanding signed"),
            ("2023-11-15", "ruled_unlawful", "UK Supreme Court, [2023] UKSC 42"),
            ("2023-12-05", "signed", "UK-Rwanda asylum partnership treaty signed"),
            ("2024-04-25", "in_force", "Safety of Rwanda (Asylum and Immigration) Act 2024"),
            ("2024-07-06", "terminated", "new government cancels the scheme"),
        ),
        payments=(
            _paid("2022-04-14", "120000000.00", "GBP", "paid", "GB", "RW",
                  "Economic Transformation and Integration Fund"),
            _paid("2023-04-01", "100000000.00", "GBP", "paid", "GB", "RW", "reported"),
            _paid("2024-04-01", "50000000.00", "GBP", "paid", "GB", "RW", "reported"),
            _paid("2025-05-04", "50000000.00", "GBP", "claimed", "GB", "RW",
                  "Rwanda seeks payments from the cancelled arrangement"),
        ),
    ),
    Arrangement(
        "US-RW-2025", "US", "RW",
        "Reception of third-country nationals removed from the United States", cap=250,
        terms=Terms(requires_served_sentence=True, excluded_nationalities=("RW",)),
        commitments=("accommodation", "education", "employment_support", "health_care"),
        status_history=_history(
            ("2025-05-04", "negotiating", "Rwanda's foreign minister confirms early talks"),
            ("2025-08-05", "in_force", "Rwanda agrees to receive up to 250 people"),
        ),
    ),
    Arrangement(
        "US-SV-2025", "US", "SV", "Detention of removed persons in El Salvador", cap=300,
        status_history=_history(
            ("2025-03-14", "in_force", "arrangement to hold removed persons in CECOT"),
        ),
        payments=(_paid("2025-03-14", "6000000.00", "USD", "committed", "US", "SV", "reported"),),
    ),
    Arrangement(
        "US-LY-2025", "US", "LY", "Reported removals to Libya",
        status_history=_history(
            ("2025-05-04", "negotiating", "reported as a possible destination"),
        ),
    ),
    Arrangement(
        "US-CR-2025", "US", "CR", "Transit of removed third-country nationals", cap=200,
        commitments=("accommodation", "health_care", "monitoring_access"),
        status_history=_history(
            ("2025-02-18", "in_force", "Costa Rica agrees to receive 200 people in transit"),
        ),
    ),
    Arrangement(
        "US-PA-2025", "US", "PA", "Transit of removed third-country nationals",
        commitments=("accommodation", "health_care"),
        status_history=_history(
            ("2025-02-12", "in_force", "first removal flight of third-country nationals"),
        ),
    ),
    Arrangement(
        "US-SS-2025", "US", "SS", "Removals of third-country nationals to South Sudan",
        terms=Terms(notice_days=1),
        status_history=_history(("2025-05-20", "in_force", "first removal flight reported")),
    ),
    Arrangement(
        "US-SZ-2025", "US", "SZ", "Reception of removed persons in Eswatini", cap=160,
        status_history=_history(("2025-07-15", "in_force", "five men removed to Eswatini")),
        payments=(_paid("2025-07-15", "5100000.00", "USD", "committed", "US", "SZ",
                        "reported support for border management"),),
    ),
    Arrangement(
        "US-UG-2025", "US", "UG", "Temporary reception of third-country nationals",
        commitments=("accommodation",),
        status_history=_history(("2025-08-21", "signed", "Uganda agrees, with conditions")),
    ),
    Arrangement(
        "IT-AL-2023", "IT", "AL", "Protocol on migration cooperation",
        commitments=("asylum_procedure", "accommodation", "health_care", "legal_aid",
                     "monitoring_access"),
        status_history=_history(
            ("2023-11-06", "signed", "protocol signed in Rome"),
            ("2024-02-22", "in_force", "ratified by the Italian parliament"),
            ("2024-10-18", "suspended", "courts decline to validate detentions in Albania"),
            ("2025-04-11", "in_force", "centres reopened as return facilities"),
        ),
        payments=(_paid("2024-03-01", "16500000.00", "EUR", "paid", "IT", "AL",
                        "first-year reimbursement (reported)"),),
    ),
    Arrangement(
        "DK-RW-2021", "DK", "RW", "Memorandum of understanding on asylum and migration",
        commitments=("asylum_procedure", "accommodation"),
        status_history=_history(
            ("2021-04-28", "negotiating", "memorandum on cooperation signed; talks on transfers"),
            ("2023-01-25", "suspended", "Denmark puts the plan on hold"),
        ),
    ),
    Arrangement(
        "NL-UG-2025", "NL", "UG", "Return hub for rejected asylum seekers",
        commitments=("accommodation",),
        status_history=_history(("2025-09-25", "signed", "letter of intent signed")),
    ),
    Arrangement(
        "AU-NR-2025", "AU", "NR", "Memorandum on the reception of non-citizens",
        commitments=("accommodation", "health_care"),
        status_history=_history(("2025-08-29", "signed", "memorandum of understanding signed")),
        payments=(
            _paid("2025-08-29", "408000000.00", "AUD", "committed", "AU", "NR", "upfront"),
            _paid("2025-08-29", "70000000.00", "AUD", "committed", "AU", "NR", "each year"),
        ),
    ),
)  # fmt: skip

COUNTRIES: Final = (
    Country("RW", (Assessment(_d("2023-11-15"), True, "UK Supreme Court, [2023] UKSC 42"),)),
    Country("LY", (Assessment(_d("2020-09-01"), True, "UNHCR position on returns to Libya"),)),
    Country("SV"),
    Country("CR", (Assessment(_d("2024-06-01"), False, "national asylum system operating"),)),
    Country("PA"),
    Country("SS", (Assessment(_d("2025-05-01"), True, "UNHCR concern about onward removal"),)),
    Country("SZ"),
    Country("UG", (Assessment(_d("2024-06-01"), False, "open refugee policy"),)),
    Country("AL", (Assessment(_d("2024-02-01"), False, "party to the 1951 Convention"),)),
    Country("NR", (Assessment(_d("2023-06-30"), False, "regional processing review"),)),
    Country("MX", (Assessment(_d("2025-02-01"), True, "reports of onward removals"),)),
    Country("PG"),
)

# Orders of every scope that do not name a person; person orders are drawn at generation.
COURT_ORDERS: Final = (
    CourtOrder("DMASS-DVD-2025-04-18", "injunction", "US District Court, District of Massachusetts",
               _d("2025-04-18"), CourtOrderScope(sending="US"), lifted=_d("2025-06-23")),
    CourtOrder("DHAGUE-2025-06-02", "injunction", "District Court of The Hague",
               _d("2025-06-02"), CourtOrderScope(sending="NL")),
    CourtOrder("DMASS-2025-05-07-LY", "injunction", "US District Court, District of Massachusetts",
               _d("2025-05-07"), CourtOrderScope(sending="US", destination="LY"),
               lifted=_d("2025-06-23")),
    CourtOrder("DMASS-2025-05-21-SS", "injunction", "US District Court, District of Massachusetts",
               _d("2025-05-21"), CourtOrderScope(sending="US", destination="SS"),
               lifted=_d("2025-07-03")),
    CourtOrder("SZHC-2025-08-14", "stay", "High Court of Eswatini",
               _d("2025-08-14"), CourtOrderScope(sending="US", destination="SZ")),
    CourtOrder("DDC-JGG-2025-03-15", "injunction", "US District Court, District of Columbia",
               _d("2025-03-15"), CourtOrderScope(arrangement="US-SV-2025"),
               lifted=_d("2025-04-07")),
    CourtOrder("TRIB-ROMA-2024-10-18", "stay", "Tribunale di Roma",
               _d("2024-10-18"), CourtOrderScope(arrangement="IT-AL-2023"),
               lifted=_d("2025-04-11")),
    CourtOrder("UGCC-2025-08-28", "stay", "Constitutional Court of Uganda",
               _d("2025-08-28"), CourtOrderScope(arrangement="US-UG-2025")),
)  # fmt: skip

#: Who orders a stay for one person, by sending state.
PERSON_ORDER_ISSUERS: Final[dict[str, tuple[CourtOrderKind, str]]] = {
    "GB": ("interim_measure", "European Court of Human Rights"),
    "IT": ("interim_measure", "European Court of Human Rights"),
    "DK": ("interim_measure", "European Court of Human Rights"),
    "NL": ("interim_measure", "European Court of Human Rights"),
    "US": ("stay", "US District Court, Southern District of Texas"),
    "AU": ("injunction", "Federal Court of Australia"),
}


@dataclass(frozen=True, slots=True)
class Flow:
    """Where transfers go: an arrangement (or a pair of states with none), its share of the
    world's transfers (per mille), and its executed transfers: a fixed number as publicly
    reported (at most half the flow), or a share of the flow."""

    arrangement: str | None
    sending: str
    destination: str
    weight: int
    executed: int | float


FLOWS: Final = (
    Flow("GB-RW-2022", "GB", "RW", 100, 0),  # nobody was flown under the partnership
    Flow("US-RW-2025", "US", "RW", 60, 7),  # a first group of seven, August 2025
    Flow("US-SV-2025", "US", "SV", 80, 238),  # 238 Venezuelans flown to El Salvador, March 2025
    Flow("US-LY-2025", "US", "LY", 30, 0),
    Flow("US-CR-2025", "US", "CR", 30, 200),  # 200 people, February 2025: the cap is reached
    Flow("US-PA-2025", "US", "PA", 70, 0.05),
    Flow("US-SS-2025", "US", "SS", 30, 8),  # eight men, July 2025
    Flow("US-SZ-2025", "US", "SZ", 30, 5),  # five men, July 2025
    Flow("US-UG-2025", "US", "UG", 40, 0),
    Flow(None, "US", "MX", 30, 0.1),  # removals of non-Mexicans to Mexico, no formal arrangement
    Flow("IT-AL-2023", "IT", "AL", 260, 0.02),
    Flow("DK-RW-2021", "DK", "RW", 30, 0),
    Flow("NL-UG-2025", "NL", "UG", 40, 0),
    Flow("AU-NR-2025", "AU", "NR", 60, 0),
    Flow(None, "AU", "PG", 20, 0.02),
)
CANCELLED_SHARE: Final = 0.03


# -- the generator -------------------------------------------------------------------------

#: How far before the as-of date the generator reaches (a 70-year-old's birth).
_PAST: Final = 26_000
_FUTURE: Final = 800
_NAME_POOL: Final = 1024


def _always(fact: str) -> bool:
    return True


class _Generator:
    """Draws a world from one seeded random stream; each method makes one kind of record.

    It calls ``random()`` and indexes precomputed tables (dates, cumulative weights) rather
    than the slower ``randint``/``choice``, so a million transfers take seconds.
    """

    def __init__(self, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.as_of = as_of
        first = as_of.toordinal() - _PAST
        self.dates = [date.fromordinal(first + i) for i in range(_PAST + _FUTURE)]
        self.origins = {
            state: ([code for code, _ in rows], list(accumulate(n for _, n in rows)))
            for state, rows in ORIGINS.items()
        }
        self.alias3 = {code: language_identity(code) for _, codes in NATIONALITIES.values()
                       for code in codes}  # fmt: skip
        self.alias3.update({code: language_identity(code) for code in ADMIN_LANGUAGE.values()})
        # Names are drawn from a pool per naming tradition, made once.
        self.name_pool = {
            key: [self.names(group) for _ in range(_NAME_POOL)]
            for key, group in NAME_GROUPS.items()
        }

    def day(self, offset: int) -> date:
        """The date ``offset`` days after the as-of date."""
        return self.dates[_PAST + offset]

    def between(self, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high``, both included."""
        return low + int(self.random() * (high - low + 1))

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def recorded(self, fact: str) -> bool:
        """Whether a (u) fact is recorded in a sparse case file."""
        return self.random() >= MISSING[fact]

    def names(self, group: NameGroup) -> tuple[str, ...]:
        """A primary name and a few aliases: other spellings, or the native-script form."""
        female = self.random() < FEMALE_SHARE
        given = self.pick(group.female if female else group.male)
        family = self.pick(group.female_surnames or group.surnames if female else group.surnames)
        latin = 1 if group.native else 0

        def full(g: str, s: str, separator: str = " ") -> str:
            return f"{s}{separator}{g}" if group.family_first else f"{g}{separator}{s}"

        names = [full(given[latin], family[latin])]
        if group.native and self.random() < 0.35:
            names.insert(0, full(given[0], family[0], group.native_separator))
        for _ in range(2):
            if self.random() < 0.4:
                alias = full(self.pick(given[latin:]), self.pick(family[latin:]))
                if alias not in names:
                    names.append(alias)
        return tuple(names)

    def person(self, ref: str, sending: str, targeted: bool) -> tuple[Person, str]:
        """A person whose case is handled by ``sending``, and the language they speak best.
        ``targeted``: the arrangement looks for people with a criminal record."""
        rnd, day = self.random, self.day
        codes, cum = self.origins[sending]
        nationality = codes[bisect(cum, rnd() * cum[-1])]
        tradition, languages = NATIONALITIES[nationality]
        first_language = languages[1] if len(languages) > 1 and rnd() < 0.3 else languages[0]
        sparse = rnd() >= COMPLETE_SHARE
        known = self.recorded if sparse else _always
        minor = rnd() < 0.04

        birth: Fact[date] = UNKNOWN
        if known("birth_date"):
            years = 11.5 + 6.5 * rnd() if minor else self.rng.triangular(18.0, 62.0, 27.0)
            birth = day(-int(years * 365.25))
        nationalities: Fact[tuple[str, ...]] = UNKNOWN
        if known("nationalities"):
            held = {nationality} - {""}
            if held and rnd() < 0.02:  # dual nationals
                held.add(self.pick(codes) or nationality)
            nationalities = tuple(sorted(held))
        spoken: Fact[tuple[str, ...]] = UNKNOWN
        if known("languages"):
            understood = {first_language}
            if rnd() < 0.3:
                understood.add(ADMIN_LANGUAGE[sending])
            if len(languages) > 1 and rnd() < 0.4:
                understood.add(languages[1])
            spoken = tuple(sorted(understood))
        accompanied: Fact[bool] = UNKNOWN
        if known("accompanied"):  # adults mostly travel alone
            accompanied = rnd() < (0.8 if minor else 0.1)
        identity: Fact[bool] = rnd() < 0.85 if known("identity_verified") else UNKNOWN
        asylum: Fact[AsylumClaim] = UNKNOWN
        if known("asylum_claim"):
            r = rnd()
            asylum = "refused" if r < 0.5 else "none" if r < 0.8 else "pending"
            asylum = "granted" if r > 0.97 else asylum
        fear: Fact[tuple[FearClaim, ...]] = UNKNOWN
        if known("fear_claims"):
            claims = []
            if nationality and rnd() < 0.35:
                r = rnd()
                status: FearClaimStatus = (
                    "rejected" if r < 0.55 else "pending" if r < 0.9 else "recognised"
                )
                claims.append(FearClaim(nationality, status))
            if rnd() < 0.03:
                claims.append(FearClaim(self.pick(("LY", "SV", "SS", "RW")), "pending"))
            fear = tuple(claims)
        decision: Fact[RemovalDecision | None] = UNKNOWN
        if known("removal_decision"):
            decision = None
            if rnd() >= 0.04:
                decided = self.between(20, 1500)
                deadline = day(-decided + self.between(14, 60)) if rnd() < 0.5 else None
                decision = RemovalDecision(day(-decided), rnd() < 0.9, deadline, rnd() < 0.04)
        convictions: Fact[tuple[Conviction, ...]] = UNKNOWN
        if known("convictions"):
            count = 0
            if rnd() < (0.85 if targeted else CONVICTED_SHARE):
                count = 2 if rnd() < 0.3 else 1
            convictions = tuple(self.conviction(sparse) for _ in range(count))
        family: Fact[bool] = rnd() < 0.2 if known("family_in_sending_country") else UNKNOWN
        fit: Fact[bool] = rnd() < 0.97 if known("fit_to_travel") else UNKNOWN
        names = self.pick(self.name_pool[tradition])
        person = Person(
            ref, names, birth, nationalities, spoken, accompanied, identity, asylum, fear,
            decision, convictions, family, fit,
        )  # fmt: skip
        return person, first_language

    def conviction(self, sparse: bool) -> Conviction:
        """A conviction; most sentences are served, some end after the planned transfer."""
        offence = self.pick(OFFENCES) if self.random() < 0.9 else None
        if sparse and not self.recorded("sentence_end"):
            return Conviction(offence)
        end = -self.between(1, 3000) if self.random() < 0.85 else self.between(0, 400)
        return Conviction(offence, self.day(end))

    def proposal(
        self, ref: str, person: str, flow: Flow, language: str, status: TransferStatus
    ) -> Transfer:
        """A proposed (or cancelled) transfer, planned within four months."""
        rnd = self.random
        accepted: Fact[bool] = rnd() < 0.95 if self.recorded("accepted_by_receiving") else UNKNOWN
        planned = self.between(1, 120) if status == "proposed" else self.between(-400, 60)
        notice: Fact[Notice | None] = UNKNOWN
        if self.recorded("notice"):
            notice = None
            if rnd() >= 0.08:
                served = -self.between(0, 40) if rnd() >= 0.01 else self.between(1, 5)
                if rnd() < 0.1:  # in the administration's language only
                    language = ADMIN_LANGUAGE[flow.sending]
                elif rnd() < 0.2:  # written down as an ISO 639-3 code
                    language = self.alias3[language]
                notice = Notice(self.day(min(served, planned)), language, rnd() >= 0.04)
        return Transfer(
            ref, person, flow.sending, flow.destination, self.day(planned), flow.arrangement,
            status, accepted, notice,
        )  # fmt: skip

    def executed(self, ref: str, person: str, flow: Flow, language: str, since: int) -> Transfer:
        """A transfer carried out between day ``since`` (relative to as-of) and yesterday."""
        planned = self.between(min(since, -1), -1)
        monitoring: tuple[MonitoringEntry, ...] = ()
        visit = planned + self.between(7, 90)
        if visit < 0 and self.random() < 0.4:
            monitoring = (MonitoringEntry(self.day(visit), "visit", flow.destination),)
            if flow.arrangement == "US-RW-2025":
                support = MonitoringEntry(self.day(visit), "support_delivered", "RW", "education")
                monitoring = (*monitoring, support)
        notice = Notice(self.day(planned - self.between(1, 20)), language, True)
        return Transfer(
            ref, person, flow.sending, flow.destination, self.day(planned), flow.arrangement,
            "executed", True, notice, monitoring,
        )  # fmt: skip

    def person_orders(self, persons: list[Person], sending: list[str]) -> list[CourtOrder]:
        """A handful of orders that each protect one person, some since lifted."""
        orders = []
        for index in self.rng.sample(
            range(len(persons)), min(len(persons), 4 + len(persons) // 100_000)
        ):
            kind, issuer = PERSON_ORDER_ISSUERS[sending[index]]
            issued = self.day(-self.between(10, 900))
            lifted = issued + timedelta(days=self.between(5, 300)) if self.random() < 0.3 else None
            ref = f"{kind.upper().replace('_', '-')}-{issued}-{persons[index].ref}"
            scope = CourtOrderScope(person=persons[index].ref)
            orders.append(CourtOrder(ref, kind, issuer, issued, scope, lifted))
        return orders


def _in_force_since(arrangement: str | None, as_of: date) -> int:
    """Days from the as-of date back to the arrangement's first entry into force (a year for
    transfers made without an arrangement)."""
    for a in ARRANGEMENTS:
        if a.ref == arrangement:
            start = next((s.date for s in a.status_history if s.status == "in_force"), as_of)
            return max((start - as_of).days, -_PAST)
    return -365


def generate_world(
    transfers: int,
    persons: int | None = None,
    seed: int = 0,
    as_of: date = DEFAULT_AS_OF,
    progress: Callable[[int, int], None] | None = None,
) -> Scenario:
    """A valid, realistic world with ``transfers`` transfers and ``persons`` persons (by
    default 90% as many as transfers: some people have more than one transfer).

    Executed transfers come first (the oldest refs), then the others, 3% of them cancelled
    and the rest proposed. The same arguments always give the same world. ``progress`` is
    told, now and then, how many persons and transfers are made out of how many.
    """
    count = max(1, round(transfers * 0.9)) if persons is None else persons
    if transfers < 0 or count < 0:
        raise ValueError("sizes must not be negative")
    if transfers and not count:
        raise ValueError("a world with transfers needs at least one person")
    # A world is millions of small acyclic objects: collecting cycles meanwhile only costs time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _world(transfers, count, seed, as_of, progress or (lambda done, total: None))
    finally:
        if collecting:
            gc.enable()


#: Records made between two reports of progress.
_REPORT_EVERY = 10_000


def _world(
    transfers: int, count: int, seed: int, as_of: date, progress: Callable[[int, int], None]
) -> Scenario:
    total_records = count + transfers
    progress(0, total_records)
    gen = _Generator(seed, as_of)
    flow_of = gen.rng.choices(range(len(FLOWS)), [f.weight for f in FLOWS], k=count)

    width = max(6, len(str(count)))
    people: list[Person] = []
    languages: list[str] = []
    by_flow: list[list[int]] = [[] for _ in FLOWS]
    for i, f in enumerate(flow_of):
        flow = FLOWS[f]
        targeted = flow.arrangement == "US-RW-2025"
        person, language = gen.person(f"P-{i + 1:0{width}d}", flow.sending, targeted)
        people.append(person)
        languages.append(language)
        by_flow[f].append(i)
        if i % _REPORT_EVERY == 0:
            progress(i, total_records)

    width = max(6, len(str(transfers)))
    made: list[Transfer] = []
    total = sum(f.weight for f in FLOWS)
    for f, flow in enumerate(FLOWS):
        expected = transfers * flow.weight / total
        if isinstance(flow.executed, int):
            n = min(flow.executed, int(expected / 2))
        else:
            n = int(expected * flow.executed)
        since = _in_force_since(flow.arrangement, as_of)
        pool: Sequence[int] = by_flow[f] or range(count)
        for _ in range(n):
            i = gen.pick(pool)
            ref = f"T-{len(made) + 1:0{width}d}"
            made.append(gen.executed(ref, people[i].ref, flow, languages[i], since))
    progress(count + len(made), total_records)
    for j in range(transfers - len(made)):
        i = j if j < count else int(gen.random() * count)
        status: TransferStatus = "cancelled" if gen.random() < CANCELLED_SHARE else "proposed"
        ref = f"T-{len(made) + 1:0{width}d}"
        made.append(gen.proposal(ref, people[i].ref, FLOWS[flow_of[i]], languages[i], status))
        if j % _REPORT_EVERY == 0:
            progress(count + len(made), total_records)
    progress(total_records, total_records)

    return Scenario(
        as_of=as_of,
        description=(
            f"Synthetic world (seed {seed}): {transfers} transfers, {count} persons. "
            "Arrangements, assessments and court orders follow public reporting where there "
            "is any; nationality mixes follow UNHCR asylum statistics; every person is fictional."
        ),
        countries=COUNTRIES,
        arrangements=ARRANGEMENTS,
        court_orders=(
            *COURT_ORDERS,
            *gen.person_orders(people, [FLOWS[f].sending for f in flow_of]),
        ),
        persons=tuple(people),
        transfers=tuple(made),
    )


__all__ = ["DEFAULT_AS_OF", "NAME_GROUPS", "generate_world"]
