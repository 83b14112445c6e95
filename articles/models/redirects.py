from django.db import models


class ArticleRedirect(models.Model):
    """An address a public story used to have, kept so old links answer 301 to the story."""

    old_path = models.CharField(max_length=300, unique=True)
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="old_paths")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.old_path} → {self.article}"

    def get_absolute_url(self):
        return self.article.get_absolute_url()
