"""The video room's signalling (issue 11): offer, answer, ICE candidates and presence between the
patient's and the practitioner's browsers, over DynamoDB (docs in README, "Videorommet")."""
