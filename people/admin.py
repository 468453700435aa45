from django.contrib import admin

from .models import PersonProfile


@admin.register(PersonProfile)
class PersonProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "job_title", "mail_mode", "updated_at")
    search_fields = ("user__email", "user__last_name", "job_title")
    raw_id_fields = ("user",)
