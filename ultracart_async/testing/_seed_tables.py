"""The pools seeded customers draw from: names, places, streets, companies, codes."""

from __future__ import annotations

from typing import Final

FIRST_NAMES: Final = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Carlos", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Sandra",
    "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua",
    "Michelle",
    "Kenji", "Amara", "Sofia", "Mateo", "Aisha", "Lucas", "Chloe", "Omar", "Ingrid", "Priya",
)  # fmt: skip
LAST_NAMES: Final = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
    "Ramirez",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
    "O'Brien", "Müller", "Okafor", "Tanaka", "Kowalski", "Novak", "Haddad", "Silva", "Larsen",
)  # fmt: skip
#: (city, state_region, postal code prefix, country_code, phone area code)
PLACES: Final = (
    ("Austin", "TX", "787", "US", "512"), ("Houston", "TX", "770", "US", "713"),
    ("Dallas", "TX", "752", "US", "214"), ("Atlanta", "GA", "303", "US", "404"),
    ("Savannah", "GA", "314", "US", "912"), ("Miami", "FL", "331", "US", "305"),
    ("Orlando", "FL", "328", "US", "407"), ("New York", "NY", "100", "US", "212"),
    ("Buffalo", "NY", "142", "US", "716"), ("Chicago", "IL", "606", "US", "312"),
    ("Denver", "CO", "802", "US", "303"), ("Seattle", "WA", "981", "US", "206"),
    ("Portland", "OR", "972", "US", "503"), ("San Diego", "CA", "921", "US", "619"),
    ("Los Angeles", "CA", "900", "US", "213"), ("San Jose", "CA", "951", "US", "408"),
    ("Phoenix", "AZ", "850", "US", "602"), ("Boston", "MA", "021", "US", "617"),
    ("Nashville", "TN", "372", "US", "615"), ("Columbus", "OH", "432", "US", "614"),
    ("Toronto", "ON", "M5V", "CA", "416"), ("Vancouver", "BC", "V6B", "CA", "604"),
    ("London", "London", "SW1", "GB", "20"),
    ("Manchester", "Greater Manchester", "M1", "GB", "161"),
    ("Sydney", "NSW", "200", "AU", "2"), ("Berlin", "Berlin", "101", "DE", "30"),
)  # fmt: skip
STREETS: Final = (
    "Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Pine Rd", "Lakeview Blvd",
    "Sunset Ave", "River Rd", "Hillcrest Dr", "Park Pl", "Washington St", "Market St",
)  # fmt: skip
COMPANIES: Final = (
    "Acme Corp", "Globex", "Initech", "Umbrella Supply", "Stark Outfitters", "Wayne Goods",
    "Hooli", "Vandelay Industries", "Soylent Foods", "Tyrell Trading", "Bluth Company",
)  # fmt: skip
EMAIL_DOMAINS: Final = ("example.com", "example.net", "example.org", "mail.test", "shop.test")
TAGS: Final = ("vip", "wholesale", "newsletter", "returning", "b2b", "holiday-2024", "referral")
REFERRAL_SOURCES: Final = ("Google", "Facebook", "Friend", "Trade show", "Podcast")
#: (card_type, last four digits)
CARD_TYPES: Final = (
    ("VISA", "1111"),
    ("MasterCard", "4444"),
    ("AMEX", "0005"),
    ("Discover", "1117"),
)
PROPERTY_NAMES: Final = ("favorite_color", "shoe_size", "crm_id", "preferred_contact")
