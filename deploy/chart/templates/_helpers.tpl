{{- define "guides.labels" -}}
app.kubernetes.io/name: werf-guides
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
