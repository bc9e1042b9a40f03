import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
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

/** An Ingress sending every path of `settings.host` to one named port of one Service. */
export function uiIngress(
  scope: Construct,
  id: string,
  props: { name: string; namespace: string; labels: Labels; settings: IngressSettings; service: string; port: string },
): k8s.KubeIngress {
  const { settings } = props;
  return new k8s.KubeIngress(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels, annotations: settings.annotations ? { ...settings.annotations } : undefined },
    spec: {
      ingressClassName: settings.className,
      tls: settings.tlsSecretName ? [{ hosts: [settings.host], secretName: settings.tlsSecretName }] : undefined,
      rules: [
        {
          host: settings.host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.service, port: { name: props.port } } } }] },
        },
      ],
    },
  });
}
