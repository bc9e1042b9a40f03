import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { ServiceRef } from './endpoints';
import { Labels } from './labels';

/** How users reach a UI of the stack from outside the cluster. */
export interface IngressSettings {
  readonly host: string;
  /** Secret with the TLS certificate for `host`. @default - no TLS section */
  readonly tlsSecretName?: string;
  /** @default - the cluster's default IngressClass */
  readonly className?: string;
  /**
   * Annotations for the ingress controller, e.g. to put authentication in front of a UI that has
   * none of its own (OpenCost's). @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An Ingress, named after the Service, sending every path of `settings.host` to one of its ports. */
export function uiIngress(
  scope: Construct,
  id: string,
  props: { service: ServiceRef; port: string; labels: Labels; settings: IngressSettings },
): k8s.KubeIngress {
  const { settings, service } = props;
  service.endpoint(props.port); // throws when the Service has no such port
  return new k8s.KubeIngress(scope, id, {
    metadata: { name: service.name, namespace: service.namespace, labels: props.labels, annotations: settings.annotations ? { ...settings.annotations } : undefined },
    spec: {
      ingressClassName: settings.className,
      tls: settings.tlsSecretName ? [{ hosts: [settings.host], secretName: settings.tlsSecretName }] : undefined,
      rules: [
        {
          host: settings.host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service.name, port: { name: props.port } } } }] },
        },
      ],
    },
  });
}
