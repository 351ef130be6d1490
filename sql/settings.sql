-- pgadvisor: every server setting with its unit, context (what applying a change needs),
-- source and boot value.
SELECT name,
       setting,
       unit,
       context,
       source,
       boot_val,
       reset_val,
       pending_restart,
       vartype
FROM pg_settings
ORDER BY name;
