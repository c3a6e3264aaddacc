"""Closed e-consultations as FHIR R4 resources for the clinic's record (R45, R53): one
Communication per message, each `inResponseTo` the one before, in a `collection` Bundle."""
from __future__ import annotations

from functions.core.clock import iso
from functions.dialogs.model import CLINIC
from functions.dialogs.repository import Stored
from functions.dialogs.texts import KIND_LABELS

KIND_SYSTEM = "https://pasientportal.example/fhir/CodeSystem/dialog-kind"
DIALOG_SYSTEM = "urn:pasientportal:dialog"


def _party(author: str, author_id: str, name: str) -> dict:
    kind = "Practitioner" if author == CLINIC else "Patient"
    return {"reference": f"{kind}/{author_id}", "display": name}


def communications(stored: Stored, base: str = "/api/dialogs/clinic") -> list[dict]:
    d = stored.dialog
    resources, previous = [], None
    for m in stored.messages:
        payload = [{"contentString": m.text}] if m.text else []
        payload += [{"contentAttachment": {"contentType": a.kind, "title": a.name, "size": a.size,
                                           "url": f"{base}/dialogs/{d.dialog_id}/attachments/{a.attachment_id}"}}
                    for a in m.attachments]
        resource = {
            "resourceType": "Communication", "id": f"{d.dialog_id}-{m.message_id}",
            "identifier": [{"system": DIALOG_SYSTEM, "value": d.dialog_id}],
            "status": "completed",
            "category": [{"coding": [{"system": KIND_SYSTEM, "code": d.kind,
                                      "display": KIND_LABELS[d.kind]["nb"]}]}],
            "subject": {"reference": f"Patient/{d.patient_id}", "display": d.patient_name},
            "topic": {"text": d.title or KIND_LABELS[d.kind]["nb"]},
            "sent": iso(m.sent_at),
            "sender": _party(m.author, m.author_id, m.author_name),
            "payload": payload,
        }
        if previous:
            resource["inResponseTo"] = [{"reference": f"Communication/{previous}"}]
        resources.append(resource)
        previous = resource["id"]
    return resources


def bundle(found: list[Stored], next_url: str | None) -> dict:
    body = {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": r} for s in found for r in communications(s)]}
    if next_url:
        body["link"] = [{"relation": "next", "url": next_url}]
    return body
