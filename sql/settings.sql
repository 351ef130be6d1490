-- pgadvisor: every server setting with its unit, context (what applying a change needs),
-- source and boot value, and what the server accepts: the values of an enum, the range of a
-- number (in the setting's unit).
SELECT name,
       setting,
       unit,
       context,
       source,
       boot_val,
       reset_val,
       pending_restart,
       vartype,
       array_to_json(enumvals)::text AS enumvals,
       min_val,
       max_val
FROM pg_settings
ORDER BY name;
