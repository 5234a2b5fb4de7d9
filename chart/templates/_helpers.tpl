{{/*
Helpers of the KubeStellar core chart. Object names are fixed (not prefixed by the
release name) because the commands and the containers look them up by name.
*/}}

{{/* True ("true") when the hosting cluster is OpenShift; fails on an unknown clusterType. */}}
{{- define "kubestellar.openshift" -}}
{{- if eq .Values.clusterType "OpenShift" -}}
true
{{- else if eq .Values.clusterType "Kubernetes" -}}
{{- else -}}
{{- fail (printf "clusterType must be Kubernetes or OpenShift, not %q" .Values.clusterType) -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "kubestellar.labels" -}}
app.kubernetes.io/name: kubestellar
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- end -}}

{{/* The controllers image reference. */}}
{{- define "kubestellar.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The restricted container security context (OpenShift's restricted-v2 accepts it). */}}
{{- define "kubestellar.containerSecurity" -}}
securityContext:
  runAsNonRoot: true
  allowPrivilegeEscalation: false
  capabilities:
    drop: ["ALL"]
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{/* Volume mounts shared by every container: the state volume and the per-pod run dir. */}}
{{- define "kubestellar.mounts" -}}
volumeMounts:
  - name: kubestellar-pv
    mountPath: /data
  - name: run
    mountPath: /run/kubestellar
{{- end -}}

{{/* Settings of the containers that run the controllers image. */}}
{{- define "kubestellar.coreContainer" -}}
image: {{ include "kubestellar.image" . | quote }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
{{ include "kubestellar.containerSecurity" . }}
{{ include "kubestellar.mounts" . }}
{{- with .Values.resources }}
resources:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
