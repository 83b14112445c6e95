from django.db import models


class Status(models.TextChoices):
    """Where a comment stands (Comment.Status); a decision names the one it gave (Decision.status)."""

    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"
