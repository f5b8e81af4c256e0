import rules

from socialguard.cases import permissions

# Head teachers and named handlers; governors too while there is a matter about a head teacher.
handles_cases = rules.predicate(
    lambda user: permissions.can_open_inbox(permissions.handler_for(user)), name="handles_cases"
)
manages_case_access = rules.predicate(permissions.can_manage_access, name="manages_case_access")
logs_media_enquiry = rules.predicate(permissions.can_log_media_enquiry, name="logs_media_enquiry")
handles_media = rules.predicate(permissions.can_handle_media, name="handles_media")

# Object-level checks (the staff member concerned never sees their case) are in permissions.py
# and run again in every service.
rules.add_perm("cases.handle", handles_cases)
rules.add_perm("cases.manage_access", manages_case_access)
rules.add_perm("cases.log_media_enquiry", logs_media_enquiry)
rules.add_perm("cases.view_media_enquiries", handles_media)
