#!/usr/bin/env python3
"""Demo cases for a development instance (issue 23), never production.

    scripts/demo-data.py [--if-empty] BASE_URL USERS_FILE

Signs in as the demo office's users listed in USERS_FILE (lines of
"username role password", as scripts/seed-demo.sh writes them) and
records about forty fictional deaths through the HTTP API, exactly as
staff would: the same validation, the same SQL functions, every event
chained, so `medexctl audit verify` passes on the result.  Dates are
relative to today, so the queue always has overdue cases, cases due
today and a death from this morning.

Every person is invented and every NHS number is in the 999 test range
(valid check digit, never issued to a patient).  Exits non-zero, saying
which request failed, on any answer that is not a success.  --if-empty
records nothing when the office already has a case (make run's first
start after an upgrade, over an office someone has been using).
"""

import datetime
import json
import sys
import urllib.error
import urllib.request

BASE = ""
TOKENS = {}
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
TODAY = NOW.date()
_nhs_seq = [0]


class ApiError(Exception):
    pass


def api(who, method, path, body=None, version=None):
    """One request as `who`; the parsed answer, or ApiError."""
    headers = {"Accept": "application/json"}
    if who is not None:
        headers["Authorization"] = "Bearer " + TOKENS[who]
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if version is not None:
        headers["If-Match"] = '"%d"' % version
    req = urllib.request.Request(BASE + path, data=data, method=method,
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        raise ApiError("%s %s as %s: %d %s" % (method, path, who, e.code,
                       e.read().decode(errors="replace")[:400]))


def day(n):
    """The ISO date n days before today."""
    return (TODAY - datetime.timedelta(days=n)).isoformat()


def iso(t):
    return t.isoformat().replace("+00:00", "Z")


def after_death(p, hours):
    """An ISO instant `hours` after 09:30 UTC on the day of death, or a
    minute ago if that is later than now: never before the death's
    date, never in the future."""
    d = TODAY - datetime.timedelta(days=p["died"])
    t = datetime.datetime(d.year, d.month, d.day, 9, 30,
                          tzinfo=datetime.timezone.utc)
    t += datetime.timedelta(hours=hours)
    return iso(min(t, NOW - datetime.timedelta(minutes=1)))


def nhs_number():
    """The next 999 test number with a valid modulus 11 check digit."""
    while True:
        _nhs_seq[0] += 1
        s = "999%07d" % (1000 + _nhs_seq[0] * 37)
        total = sum(int(s[i]) * (10 - i) for i in range(9))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check == 10:
            continue
        return s[:9] + str(check)


class Case:
    """A case being built: its path and current version."""

    def __init__(self, who, body):
        k = api(who, "POST", "/api/v1/cases", body)
        self.id = k["id"]
        self.path = "/api/v1/cases/%s" % self.id
        self.version = k["version"]

    def put(self, who, tail, body):
        k = api(who, "PUT", self.path + tail, body, self.version)
        self.version = k["version"]

    def post(self, who, tail, body):
        k = api(who, "POST", self.path + tail, body)
        self.version = k["version"]
        return k

    def move(self, who, to, **extra):
        body = {"to": to}
        body.update(extra)
        k = api(who, "POST", self.path + "/transitions", body, self.version)
        self.version = k["version"]


def new_case(p):
    """POST /api/v1/cases from a person's facts (see PEOPLE)."""
    dod = p["died"]
    body = {
        "given_name": p["given"],
        "family_name": p["family"],
        "date_of_birth": p["born"],
        "sex": p["sex"],
        "date_of_death": day(dod),
        "time_of_death": "03:40" if dod else "00:20",
        "place_of_death": p.get("place", "hospital"),
        "place_detail": p.get("detail", "Larch Ward, Riverside General"),
        "notified_at": after_death(p, 0),
        "ethnicity": p.get("ethnicity", "A"),
        "attending_practitioner": {"name": p.get("ap", "Dr Imogen Fairweather"),
                                   "gmc_number": p.get("gmc", "7012345")},
    }
    if p.get("nhs", True):
        body["nhs_number"] = nhs_number()
    for k in ("priority", "urgent_release", "learning_disability_or_autism"):
        if k in p:
            body[k] = p[k]
    return Case("officer", body)


def scrutiny(c, p):
    """The ME takes the case and reviews the records."""
    c.move("me", "in_scrutiny", independent=True)
    c.put("officer", "/assignment", {"officer": USERS["officer"]})
    c.post("officer", "/notes", {"kind": "officer_summary",
           "text": p.get("summary", "Admitted from home with breathlessness; "
                         "deteriorated over two days despite treatment.")})
    c.post("me", "/notes", {"kind": "record_review",
           "text": p.get("review", "Records reviewed: a decline consistent "
                         "with the known illness; no concerns about care."),
           "circumstances": p.get("circumstances", "expected"),
           "proposed_outcome": p.get("proposed", "mccd")})


def family(c, p, reached=True, concern=None):
    """The bereaved: a representative and a call."""
    rel = p.get("relative", ("Jo " + p["family"], "daughter"))
    c.post("officer", "/representatives", {
        "name": rel[0], "relationship": rel[1], "phone": "07700 900%03d"
        % (_nhs_seq[0] % 1000), "is_informant": True})
    body = {"person_name": rel[0], "relationship": rel[1],
            "method": "phone", "outcome": "reached" if reached else
            "no_answer", "at": after_death(p, 26),
            "concerns_raised": concern is not None}
    if reached:
        body["questions"] = p.get("questions", "Asked whether the "
                                  "infection could have been caught sooner.")
    if concern is not None:
        body["concerns"] = concern
    return c.post("officer", "/contacts", body)


def agree(c, p):
    """The discussion with the attending practitioner and the cause."""
    c.post("me", "/practitioner-discussions", {
        "practitioner": {"name": p.get("ap", "Dr Imogen Fairweather"),
                         "gmc_number": p.get("gmc", "7012345")},
        "at": after_death(p, 28), "happened": True,
        "proposed_cause": p["cause"][0],
        "outcome": p.get("outcome", "agreed")})
    if p.get("neonatal"):
        c.put("me", "/cause-of-death", {
            "form": "neonatal", "infant_main": p["cause"][0],
            "maternal_main": p["cause"][1],
            "agreed_with_attending_practitioner": True})
        return
    body = {"form": "standard", "part1a": p["cause"][0],
            "agreed_with_attending_practitioner": True}
    if len(p["cause"]) > 1:
        body["part1b"] = p["cause"][1]
    if len(p["cause"]) > 2:
        body["part2"] = p["cause"][2]
    c.put("me", "/cause-of-death", body)


def to_mccd(c, p):
    c.move("me", "awaiting_mccd")


def mccd(c, p):
    c.move("officer", "mccd_issued", mccd_issued_on=day(max(p["died"] - 2, 0)))


def finals(c, p):
    c.put("officer", "/final-actions", p.get("finals", {
        "disposal": "burial", "funeral_director": "Alder and Sons",
        "implants": "none", "gp_notified": "notified"}))


def refer(c, p):
    """Referred, the document sent (a day after the death, or just now
    when that is later) and, unless p says "waiting", acknowledged."""
    c.put("officer", "/coroner-referral", {
        "categories": p["categories"], "reason": p["referral"]})
    c.move("me", "referred_to_coroner")
    c.put("officer", "/coroner-referral/sent", {
        "sent_at": after_death(p, 24), "method": "secure_email"})
    if not p.get("waiting"):
        c.put("officer", "/coroner-referral/acknowledgement", {
            "acknowledged_at": iso(NOW - datetime.timedelta(minutes=1)),
            "reference": "RV-%s" % c.id})


def build(p):
    """One case, up to the state p["state"]."""
    c = new_case(p)
    state = p["state"]
    if state == "notified":
        return c
    if state == "withdrawn" and p.get("early"):
        c.move("lead", "withdrawn", reason=p["reason"])
        return c
    scrutiny(c, p)
    if p.get("concern"):
        k = family(c, p, concern=p["concern"])
        if p.get("decided"):
            c.post("me", "/governance-referrals", {
                "kind": p.get("gov", "patient_safety"),
                "reason": p["decided"], "contact_id": k["contacts"][-1]["id"]})
    elif p.get("exhausted"):
        c.post("officer", "/contacts/exhausted", {"reason": p["exhausted"]})
    elif p.get("stage", 9) >= 1:
        family(c, p, reached=p.get("reached", True))
    if p.get("stage", 9) >= 2 and "cause" in p:
        agree(c, p)
    if state == "in_scrutiny":
        return c
    if state == "withdrawn":
        c.move("lead", "withdrawn", reason=p["reason"])
        return c
    if state in ("referred_to_coroner", "coroner_investigating"):
        refer(c, p)
        if state == "coroner_investigating":
            c.put("officer", "/coroner-decision", {
                "decision": "investigating", "decided_at": iso(NOW),
                "coroner_reference": "DEMO/%s/%s" % (TODAY.year, c.id)})
            c.move("officer", "coroner_investigating")
        return c
    if p.get("coroner_declined"):
        refer(c, p)
        c.put("officer", "/coroner-decision", {
            "decision": "not_investigating", "decided_at": iso(NOW),
            "coroner_reference": "DEMO/%s/%s" % (TODAY.year, c.id)})
        c.move("officer", "in_scrutiny")
    to_mccd(c, p)
    if state == "awaiting_mccd":
        return c
    mccd(c, p)
    if p.get("finals") or state == "closed":
        finals(c, p)
    if p.get("released"):
        c.put("officer", "/urgent-release", {"requested": True,
              "reason": "faith", "outcome": p["released"]})
    if state == "closed":
        c.move("officer", "closed")
    return c


PNEUMONIA = ["Community-acquired pneumonia",
             "Chronic obstructive pulmonary disease"]
HEART = ["Acute myocardial infarction", "Coronary artery atherosclerosis",
         "Type 2 diabetes mellitus"]
STROKE = ["Cerebral infarction", "Atrial fibrillation"]
CANCER = ["Metastatic carcinoma of the bronchus"]
SEPSIS = ["Urosepsis", "Frailty of old age"]
FRACTURE = ["Hospital-acquired pneumonia", "Fractured neck of femur",
            "Osteoporosis"]

# Invented people.  died: days ago; born: ISO date; state: where the
# case ends; stage: how far scrutiny went (0 nothing, 1 family, 2 cause).
PEOPLE = [
    # Notified: waiting for an ME; one from this morning, two overdue.
    dict(given="Marjorie", family="Quillfeather", born="1936-04-11",
         sex="female", died=0, state="notified"),
    dict(given="Albert", family="Thistlewood", born="1942-09-02",
         sex="male", died=1, state="notified", place="care_home",
         detail="Meadowbank Care Home"),
    dict(given="Yusuf", family="Demirtas-Hale", born="1951-01-30",
         sex="male", died=0, state="notified", ethnicity="S",
         priority={"child": False, "faith": True, "cultural": False,
                   "coroner": False, "other": False,
                   "detail": "Muslim burial: family ask for release today"},
         urgent_release={"requested": True, "reason": "faith"}),
    dict(given="Unidentified", family="Male (Riverside Park)",
         born="1960-01-01", sex="male", died=1, nhs=False, state="notified",
         place="other", ethnicity="Z",
         detail="Found in Riverside Park; identity not yet known, date of "
         "birth estimated by the police"),
    dict(given="Winifred", family="Pennyworth", born="1931-12-24",
         sex="female", died=6, state="notified", place="home",
         detail="At home, expected death"),
    dict(given="Cecil", family="Marchbank", born="1939-07-19", sex="male",
         died=5, state="notified"),
    dict(given="Baby", family="Ashdown-Vale", born=day(5), sex="female",
         died=0, state="notified", ethnicity="A",
         priority={"child": True, "faith": False, "cultural": False,
                   "coroner": False, "other": False},
         detail="Neonatal Unit, Riverside General"),
    dict(given="Dafydd", family="ap Gruffydd-Owain", born="1947-03-01",
         sex="male", died=1, state="notified", place="hospice",
         detail="Hosbis Dewi Sant (St David's Hospice)"),
    # In scrutiny, at every step.
    dict(given="Gwenllian", family="Llewellyn-Prys", born="1944-08-15",
         sex="female", died=2, state="in_scrutiny", stage=0),
    dict(given="Horace", family="Blennerhassett", born="1938-02-27",
         sex="male", died=2, state="in_scrutiny", stage=1, reached=False,
         cause=HEART),
    dict(given="Ottoline", family="Crumb", born="1950-05-05",
         sex="female", died=1, state="in_scrutiny", stage=2, cause=STROKE),
    dict(given="Jasper", family="O'Halloran-Finch", born="1958-10-10",
         sex="male", died=3, state="in_scrutiny", stage=2, cause=SEPSIS,
         concern="The family say his catheter was not changed for weeks and "
         "nobody told them he had a fever."),
    dict(given="Rosalind", family="Featherstonehaugh", born="1929-06-06",
         sex="female", died=7, state="in_scrutiny", stage=1,
         cause=PNEUMONIA),
    dict(given="Iolo", family="Morgan-Bevan", born="1962-11-11", sex="male",
         died=2, state="in_scrutiny", stage=2, cause=CANCER, place="hospice",
         detail="Hosbis y Cymoedd", exhausted="no_contacts"),
    dict(given="Beatrix", family="Honeysett", born="1940-01-15",
         sex="female", died=1, state="in_scrutiny", stage=2, cause=PNEUMONIA,
         learning_disability_or_autism=True),
    dict(given="Ezekiel", family="Oakenshield", born="1955-04-04",
         sex="male", died=2, state="in_scrutiny", stage=2, cause=FRACTURE,
         circumstances="unexpected", proposed="coroner"),
    dict(given="Florence", family="Amberley-Nash", born="1933-09-09",
         sex="female", died=1, state="in_scrutiny", stage=1, cause=HEART),
    dict(given="Tobias", family="Wrenfield", born="1949-12-12", sex="male",
         died=3, state="in_scrutiny", stage=2, cause=STROKE,
         concern="His son is unhappy that the stroke was not recognised "
         "for six hours.", decided="Sent for a structured judgement "
         "review by the stroke team.", gov="structured_judgement_review"),
    # With the coroner.
    dict(given="Percival", family="Dunstable", born="1957-02-14",
         sex="male", died=4, state="referred_to_coroner", cause=FRACTURE,
         waiting=True,
         outcome="refer_to_coroner",
         categories=["trauma_or_injury", "treatment_or_procedure"],
         referral="Fall on the ward with a fractured hip; died of "
         "pneumonia after the operation."),
    dict(given="Agatha", family="Milbourne", born="1961-07-07",
         sex="female", died=1, state="referred_to_coroner", cause=SEPSIS,
         waiting=True,
         categories=["neglect"], referral="The family describe pressure "
         "sores and dehydration at the care home."),
    dict(given="Lionel", family="Sparrowhawk", born="1970-03-03",
         sex="male", died=2, state="referred_to_coroner", stage=1,
         categories=["unknown_cause"], referral="Sudden collapse at home; "
         "no known illness that explains the death.", place="home",
         detail="At home"),
    dict(given="Nerys", family="Tudur", born="1966-06-16", sex="female",
         died=5, state="coroner_investigating", stage=1,
         categories=["self_harm"], referral="Found with an empty bottle of "
         "her prescribed tablets.", place="home", detail="At home"),
    dict(given="Reginald", family="Foxley", born="1952-08-08", sex="male",
         died=6, state="coroner_investigating", stage=1,
         categories=["employment_related"], referral="Mesothelioma after "
         "years as a lagger in the shipyards."),
    dict(given="Clementine", family="Ashworth", born="1988-12-01",
         sex="female", died=3, state="coroner_investigating", stage=1,
         categories=["medicinal_product_or_drug"], referral="Collapsed "
         "after a new antibiotic; suspected anaphylaxis."),
    # Waiting for the MCCD.
    dict(given="Edmund", family="Kittredge", born="1937-05-22", sex="male",
         died=2, state="awaiting_mccd", cause=PNEUMONIA),
    dict(given="Philippa", family="Greenhalgh", born="1945-10-30",
         sex="female", died=2, state="awaiting_mccd", cause=HEART),
    dict(given="Myfanwy", family="Pugh-Rhydderch", born="1932-03-17",
         sex="female", died=3, state="awaiting_mccd", cause=STROKE,
         place="care_home", detail="Cartref Glan-yr-Afon"),
    dict(given="Barnaby", family="Cholmondeley", born="1948-11-05",
         sex="male", died=3, state="awaiting_mccd", cause=SEPSIS,
         coroner_declined=True, categories=["treatment_or_procedure"],
         referral="Died two days after a routine cystoscopy."),
    dict(given="Baby", family="Lindqvist-Moore", born=day(7), sex="male",
         died=3, state="awaiting_mccd", neonatal=True,
         cause=["Extreme prematurity", "Pre-eclampsia"],
         detail="Neonatal Unit, Riverside General",
         relative=("Hanna Lindqvist", "mother"),
         priority={"child": True, "faith": False, "cultural": False,
                   "coroner": False, "other": False}),
    # MCCD issued: final actions to record.
    dict(given="Harriet", family="Vane-Tempest", born="1934-04-29",
         sex="female", died=4, state="mccd_issued", cause=PNEUMONIA),
    dict(given="Godfrey", family="Ironside", born="1941-01-08", sex="male",
         died=4, state="mccd_issued", cause=HEART,
         finals={"disposal": "cremation", "funeral_director":
                 "Willowbrook Funeral Care", "implants":
                 "present_not_removed", "implant_detail": "Pacemaker",
                 "gp_notified": "notified"}),
    dict(given="Imelda", family="Castellane", born="1950-09-19",
         sex="female", died=5, state="mccd_issued", cause=CANCER,
         place="hospice", detail="St Columba's Hospice"),
    dict(given="Samir", family="Haddad-Lowe", born="1946-02-02", sex="male",
         died=3, state="mccd_issued", cause=STROKE, ethnicity="S",
         priority={"child": False, "faith": True, "cultural": False,
                   "coroner": False, "other": False,
                   "detail": "Burial within 24 hours"},
         urgent_release={"requested": True, "reason": "faith"},
         released="achieved"),
    # Closed.
    dict(given="Arabella", family="Fitzwarren", born="1930-07-04",
         sex="female", died=9, state="closed", cause=PNEUMONIA),
    dict(given="Montague", family="Hartsease", born="1943-03-23",
         sex="male", died=10, state="closed", cause=HEART),
    dict(given="Ceridwen", family="Vaughan-Hopkin", born="1939-11-30",
         sex="female", died=12, state="closed", cause=STROKE),
    dict(given="Ignatius", family="Pellow", born="1953-05-13", sex="male",
         died=8, state="closed", cause=SEPSIS,
         concern="His wife felt the ward staff did not listen to her.",
         decided="Passed to PALS, who will call her.", gov="pals"),
    dict(given="Dorcas", family="Whitlock", born="1928-08-28",
         sex="female", died=14, state="closed", cause=FRACTURE,
         finals={"disposal": "cremation", "funeral_director":
                 "Alder and Sons", "implants": "present_removed",
                 "implant_detail": "Pacemaker removed by the funeral "
                 "director", "gp_notified": "notified"}),
    dict(given="Leopold", family="Quayle", born="1947-12-25", sex="male",
         died=11, state="closed", cause=CANCER, exhausted="declined"),
    # Withdrawn.
    dict(given="Mabel", family="Ormerod", born="1935-02-19", sex="female",
         died=4, state="withdrawn", early=True,
         reason="Notified twice: the coroner's officer took the case on "
         "the same day."),
    dict(given="Thaddeus", family="Bramwell", born="1944-06-21", sex="male",
         died=5, state="withdrawn", stage=0,
         reason="Death abroad: not in scope of the medical examiner."),
]

USERS = {}


def login(users_file):
    roles = {"medical_examiner": "me", "lead_medical_examiner": "lead",
             "officer": "officer", "liaison_officer": "liaison",
             "admin": "admin"}
    with open(users_file) as f:
        for line in f:
            # The password is the rest of the line.
            parts = line.strip().split(None, 2)
            if len(parts) == 3 and parts[1] in roles:
                who = roles[parts[1]]
                USERS[who] = parts[0]
                k = api(None, "POST", "/api/v1/auth/login",
                        {"username": parts[0], "password": parts[2]})
                TOKENS[who] = k["token"]
    missing = [w for w in ("me", "lead", "officer") if w not in TOKENS]
    if missing:
        raise ApiError("no %s in %s" % (", ".join(missing), users_file))


def coroner_area():
    """The office's coroner area, which the referral document names (as
    the office's admin, when the users file has one)."""
    if "admin" not in TOKENS:
        return
    code = api("admin", "GET", "/api/v1/me")["office"]
    path = "/api/v1/offices/" + code
    k = api("admin", "GET", path)
    if k.get("coroner_area"):
        return
    api("admin", "PATCH", path, {"coroner_area": "Riverside and Vale "
        "(demo coroner area)"}, k["version"])


def main():
    global BASE
    args = sys.argv[1:]
    if_empty = args[:1] == ["--if-empty"]
    if if_empty:
        args = args[1:]
    if len(args) != 2:
        print("usage: demo-data.py [--if-empty] BASE_URL USERS_FILE",
              file=sys.stderr)
        return 2
    BASE = args[0].rstrip("/")
    try:
        login(args[1])
        if if_empty and api("officer", "GET", "/api/v1/cases?limit=1")[
                "items"]:
            print("medex: the demo office already has cases; no demo "
                  "data added")
            return 0
        coroner_area()
        states = {}
        for p in PEOPLE:
            build(p)
            states[p["state"]] = states.get(p["state"], 0) + 1
    except (ApiError, OSError) as e:
        print("demo-data: %s" % e, file=sys.stderr)
        return 1
    print("medex: %d demo cases recorded (%s)" % (len(PEOPLE), ", ".join(
        "%s %d" % (s, n) for s, n in sorted(states.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
